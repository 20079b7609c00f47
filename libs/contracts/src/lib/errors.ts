/**
 * The error taxonomy shared by every service and the gateway.
 *
 * Services raise {@link IamError} with a stable code; the bus carries it as a
 * {@link WireError}; only the gateway turns a code into an HTTP status and an
 * AWS-shaped body.
 */
export const ERROR_CODES = [
  // Entity and request errors (AWS IAM codes).
  'NoSuchEntity',
  'EntityAlreadyExists',
  'DeleteConflict',
  'LimitExceeded',
  'ValidationError',
  'InvalidInput',
  'MalformedPolicyDocument',
  'PasswordPolicyViolation',
  'PolicyNotAttachable',
  'UnmodifiableEntity',
  'EntityTemporarilyUnmodifiable',
  'ConcurrentModification',
  'InvalidAction',
  // A path the REST API does not have.
  'NotFound',
  // Authentication and authorization.
  'AccessDenied',
  'MissingAuthenticationToken',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'RequestExpired',
  'ExpiredToken',
  'InvalidToken',
  'SignInFailed',
  'InvalidAuthenticationCode',
  'PasswordResetRequired',
  // Availability.
  /** Too many requests at once (sign-in floods, password hashing beyond its queue): retry later. */
  'Throttling',
  'ServiceUnavailable',
  'ServiceFailure',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}

/** The shape of an error on the bus: no stack, no cause, nothing internal. */
export interface WireError {
  code: ErrorCode;
  message: string;
}

export function isWireError(value: unknown): value is WireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    isErrorCode((value as WireError).code) &&
    typeof (value as WireError).message === 'string'
  );
}

/** A domain error with a stable code. Safe to show to the client. */
export class IamError extends Error {
  override readonly name = 'IamError';

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  toWire(): WireError {
    return { code: this.code, message: this.message };
  }

  static fromWire(wire: WireError): IamError {
    return new IamError(wire.code, wire.message);
  }
}

/** What must go before an entity can be deleted, each with AWS's `DeleteConflict` wording. */
const DELETE_CONFLICTS = {
  'login profile': 'Cannot delete entity, must delete login profile first.',
  'access keys': 'Cannot delete entity, must delete access keys first.',
  /** A user still in groups, or a group that still has users: AWS words both the same way. */
  memberships: 'Cannot delete entity, must remove users from group first.',
  'attached policies': 'Cannot delete entity, must detach all policies first.',
  'inline policies': 'Cannot delete entity, must delete policies first.',
} as const;

export type DeleteConflictReason = keyof typeof DELETE_CONFLICTS;

/** Convenience constructors with AWS's wording. */
export const Errors = {
  /** `DeleteConflict` for a user or group that still has `what`. */
  deleteConflict: (what: DeleteConflictReason) => new IamError('DeleteConflict', DELETE_CONFLICTS[what]),
  throttling: () => new IamError('Throttling', 'Rate exceeded'),
  noSuchUser: (name: string) =>
    new IamError('NoSuchEntity', `The user with name ${name} cannot be found.`),
  noSuchGroup: (name: string) =>
    new IamError('NoSuchEntity', `The group with name ${name} cannot be found.`),
  userExists: (name: string) =>
    new IamError('EntityAlreadyExists', `User with name ${name} already exists.`),
  groupExists: (name: string) =>
    new IamError('EntityAlreadyExists', `Group with name ${name} already exists.`),
  unavailable: (service: string, why: string) =>
    new IamError('ServiceUnavailable', `The ${service} service is unavailable: ${why}.`),
  internal: () => new IamError('ServiceFailure', 'The request failed because of an internal error.'),
};
