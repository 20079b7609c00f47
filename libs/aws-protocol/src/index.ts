export * from './lib/aws-protocol';
