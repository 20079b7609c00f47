import { AuthorizationErrors } from '../shared/errors';
import { AWS_ACCOUNT } from './aws-managed-policies';

export interface PolicyArnParts {
  /** The 12-digit account, or `aws` for an AWS managed policy. */
  readonly account: string;
  readonly path: string;
  readonly name: string;
}

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy((?:\/[\u0021-\u007E]*)?\/)([\w+=,.@-]{1,128})$/;

/** The parts of a policy ARN; `InvalidInput` ("ARN x is not valid.") for anything else. */
export function parsePolicyArn(arn: string): PolicyArnParts {
  const match = POLICY_ARN.exec(arn);
  if (!match) throw AuthorizationErrors.invalidPolicyArn(arn);
  return { account: match[1], path: match[2], name: match[3] };
}

export function isAwsManagedArn(arn: string): boolean {
  return parsePolicyArn(arn).account === AWS_ACCOUNT;
}
