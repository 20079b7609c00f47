import { Errors, IamError, MAX_ERROR_PROBLEMS, PolicyProblem } from '@iam/contracts';
import type { PolicyValidationError } from '@iam/policy-engine';

type PrincipalType = 'user' | 'group';

/** The authorization service's errors, worded as AWS words them where AWS has a wording. */
export const AuthorizationErrors = {
  noSuchUser: Errors.noSuchUser,
  noSuchGroup: Errors.noSuchGroup,
  /** The owner's `NoSuchEntity` for a user or group of that name. */
  noSuchPrincipal: (type: PrincipalType, name: string) => (type === 'user' ? Errors.noSuchUser(name) : Errors.noSuchGroup(name)),
  noSuchRole: (name: string) => new IamError('NoSuchEntity', `The role with name ${name} cannot be found.`),

  invalidPolicyArn: (arn: string) => new IamError('InvalidInput', `ARN ${arn} is not valid.`),
  noSuchPolicy: (arn: string) => new IamError('NoSuchEntity', `Policy ${arn} was not found.`),
  policyNotAttachable: (arn: string) => new IamError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`),
  noSuchPolicyVersion: (arn: string, versionId: string) =>
    new IamError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`),
  awsManagedPolicy: (action: string, arn: string) =>
    new IamError('AccessDenied', `Not authorized to perform: iam:${action} on resource: policy ${arn} (AWS managed policies cannot be changed).`),
  policyExists: (name: string) => new IamError('EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`),
  duplicateTagKeys: Errors.duplicateTagKeys,
  tagLimit: Errors.tagLimit,
  policyAttached: () => new IamError('DeleteConflict', 'Cannot delete a policy attached to entities.'),
  policyHasVersions: () =>
    new IamError(
      'DeleteConflict',
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    ),
  defaultVersion: () => new IamError('DeleteConflict', 'Cannot delete the default version of a policy.'),
  policyVersionLimit: (max: number) =>
    new IamError(
      'LimitExceeded',
      `A managed policy can have up to ${max} versions. Before you create a new version, you must delete an existing version.`,
    ),
  /**
   * The engine's problems with a policy document: the first in the code and words IAM answers it
   * with; for `MalformedPolicyDocument`, every problem (up to {@link MAX_ERROR_PROBLEMS}) with its
   * JSON path, line and column as details (the REST API shows them; the Query API does not).
   */
  policyDocument: (problems: readonly PolicyValidationError[]) => {
    const [first] = problems;
    if (first.code !== 'MalformedPolicyDocument') return new IamError(first.code, first.awsMessage);
    return new IamError(first.code, first.awsMessage, { problems: problems.slice(0, MAX_ERROR_PROBLEMS).map(problemOf) });
  },

  noSuchInlinePolicy: (type: PrincipalType, policyName: string) =>
    new IamError('NoSuchEntity', `The ${type} policy with name ${policyName} cannot be found.`),
  inlinePolicySize: (limit: number, type: PrincipalType, name: string) =>
    new IamError('LimitExceeded', `Maximum policy size of ${limit} bytes exceeded for ${type} ${name}`),
  attachedPolicyLimit: (type: PrincipalType, limit: number) =>
    new IamError('LimitExceeded', `Cannot exceed quota for ${type === 'user' ? 'PoliciesPerUser' : 'PoliciesPerGroup'}: ${limit}`),

  badPolicySourceArn: (arn: string) => new IamError('InvalidInput', `PolicySourceArn ${arn} is not the ARN of a user or a group.`),
  badContextEntry: (message: string) => new IamError('InvalidInput', message),
  /** A document read back from the database that no longer compiles: the store is corrupt, not the request. */
  storedPolicyInvalid: (policyId: string) => new IamError('ServiceFailure', `The request failed because the stored policy ${policyId} does not compile.`),
  evaluationFailed: () => new IamError('ServiceFailure', 'The request failed because of an error in policy evaluation.'),
};

function problemOf(error: PolicyValidationError): PolicyProblem {
  return {
    message: error.message,
    path: error.path,
    ...(error.line !== undefined ? { line: error.line } : {}),
    ...(error.column !== undefined ? { column: error.column } : {}),
  };
}
