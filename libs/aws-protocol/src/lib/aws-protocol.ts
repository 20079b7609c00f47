export function awsProtocol(): string {
  return 'aws-protocol';
}
