import { INVALID_CLIENT_TOKEN_ID_MESSAGE, SIGNATURE_MISMATCH_MESSAGE } from '@iam/aws-protocol';
import { Errors, IamError } from '@iam/contracts';

/** The identity service's errors, worded as AWS words them where AWS has a wording. */
export const IdentityErrors = {
  noSuchUser: Errors.noSuchUser,
  noSuchUserId: (id: string) => new IamError('NoSuchEntity', `The user with id ${id} cannot be found.`),
  userExists: Errors.userExists,
  userBeingDeleted: (name: string) =>
    new IamError('EntityTemporarilyUnmodifiable', `The user with name ${name} cannot be modified while it is being deleted.`),
  missingUserName: () =>
    new IamError('ValidationError', "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"),
  deleteConflict: Errors.deleteConflict,
  throttling: Errors.throttling,
  internal: Errors.internal,
  concurrentDelete: (name: string) =>
    new IamError('ConcurrentModification', `The user with name ${name} was changed by another request while it was being deleted; try again.`),
  duplicateTagKeys: Errors.duplicateTagKeys,
  tagLimit: Errors.tagLimit,
  noSuchLoginProfile: (name: string) => new IamError('NoSuchEntity', `Login Profile for User ${name} cannot be found.`),
  loginProfileExists: (name: string) => new IamError('EntityAlreadyExists', `Login Profile for user ${name} already exists.`),
  noPasswordPolicy: (accountId: string) =>
    new IamError('NoSuchEntity', `The Password Policy with domain name ${accountId} cannot be found.`),
  /** AWS's answer to DeleteAccountPasswordPolicy when none is set (not GetAccountPasswordPolicy's). */
  noPasswordPolicyToDelete: () => new IamError('NoSuchEntity', 'The account policy with name PasswordPolicy cannot be found.'),
  passwordPolicyViolation: (problems: string[]) => new IamError('PasswordPolicyViolation', problems.join(', ')),
  wrongOldPassword: () => new IamError('AccessDenied', 'The old password is incorrect.'),
  tooManyPasswordAttempts: () =>
    new IamError('LimitExceeded', 'Too many failed attempts to verify the password; try again later.'),
  passwordExpiredHard: () =>
    new IamError('PasswordResetRequired', 'The password has expired and must be reset by an administrator.'),
  rootPasswordIsConfiguration: () =>
    new IamError('InvalidInput', "The root user's password is set in the service configuration (IAM_ROOT_PASSWORD) and cannot be changed here."),

  signInFailed: () => new IamError('SignInFailed', 'Your authentication information is incorrect. Please try again.'),
  invalidToken: () => new IamError('InvalidToken', 'The session token is not valid.'),
  expiredToken: () => new IamError('ExpiredToken', 'The session token has expired.'),
  badSourceIp: (value: string) =>
    new IamError('ValidationError', `1 validation error detected: Value '${value}' at 'sourceIp' failed to satisfy constraint: Member must be an IPv4 or IPv6 address`),
  signInTarget: () =>
    new IamError('ValidationError', "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must be given unless root is true, and only then"),

  invalidClientTokenId: () => new IamError('InvalidClientTokenId', INVALID_CLIENT_TOKEN_ID_MESSAGE),
  signatureDoesNotMatch: () => new IamError('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE),

  noSuchAccessKey: (id: string) => new IamError('NoSuchEntity', `The Access Key with id ${id} cannot be found.`),
  accessKeyLimit: () => new IamError('LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2'),
  rootKeysAreConfiguration: () =>
    new IamError('InvalidInput', "The root user's access key is set in the service configuration (IAM_ROOT_ACCESS_KEY_ID) and cannot be changed here."),
  noMasterKey: () =>
    new IamError('ServiceUnavailable', 'The identity service cannot store access keys: IAM_MASTER_KEY is not set.'),
};
