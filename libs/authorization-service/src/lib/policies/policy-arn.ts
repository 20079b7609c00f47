import { IamError } from '@iam/contracts';
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
  if (!match) throw new IamError('InvalidInput', `ARN ${arn} is not valid.`);
  return { account: match[1], path: match[2], name: match[3] };
}

export function isAwsManagedArn(arn: string): boolean {
  return parsePolicyArn(arn).account === AWS_ACCOUNT;
}

export const PolicyErrors = {
  notFound: (arn: string) => new IamError('NoSuchEntity', `Policy ${arn} was not found.`),
  notAttachable: (arn: string) => new IamError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`),
  noSuchVersion: (arn: string, versionId: string) =>
    new IamError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`),
  awsManaged: (action: string, arn: string) =>
    new IamError('AccessDenied', `Not authorized to perform: iam:${action} on resource: policy ${arn} (AWS managed policies cannot be changed).`),
  exists: (name: string) => new IamError('EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`),
  duplicateTags: () => new IamError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'),
  tooManyTags: () => new IamError('LimitExceeded', 'The number of tags has reached the maximum limit.'),
};
