export function policyEngine(): string {
  return 'policy-engine';
}
