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
  // The credential report: none generated yet, or older than four hours.
  'ReportNotPresent',
  'ReportExpired',
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

/**
 * One problem with a policy document, as the policy engine's validator finds it: what is wrong,
 * where (a JSON path such as `Statement[1].Action`, `""` for the whole document), and the
 * 1-based line and column of that place in the document's text when known.
 */
export interface PolicyProblem {
  message: string;
  path: string;
  line?: number;
  column?: number;
}

/**
 * What an error may say beyond its one message, for clients that can show more. Optional
 * everywhere: errors without details, and readers that ignore them, work as before. Only the
 * REST API shows them; AWS's Query API answers AWS's shape.
 */
export interface ErrorDetails {
  /** `MalformedPolicyDocument`: every problem with the document, in the order IAM checks them. */
  problems?: PolicyProblem[];
}

/** At most this many problems travel with an error. */
export const MAX_ERROR_PROBLEMS = 100;

/** The shape of an error on the bus: no stack, no cause, nothing internal. */
export interface WireError {
  code: ErrorCode;
  message: string;
  /** Absent from errors of releases that had none; ignored by readers that know none. */
  details?: ErrorDetails;
}

export function isWireError(value: unknown): value is WireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    isErrorCode((value as WireError).code) &&
    typeof (value as WireError).message === 'string'
  );
}

function isPosition(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= 1);
}

function isPolicyProblem(value: unknown): value is PolicyProblem {
  const p = value as PolicyProblem;
  return typeof value === 'object' && value !== null && typeof p.message === 'string' && typeof p.path === 'string' && isPosition(p.line) && isPosition(p.column);
}

/**
 * The details worth keeping from what arrived (over the bus, from an older or newer peer): the
 * well-formed problems, at most {@link MAX_ERROR_PROBLEMS}, each with only its known members;
 * undefined when nothing is left.
 */
export function errorDetailsOf(value: unknown): ErrorDetails | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const problems = (value as ErrorDetails).problems;
  if (!Array.isArray(problems)) return undefined;
  const kept = problems.filter(isPolicyProblem).slice(0, MAX_ERROR_PROBLEMS).map(({ message, path, line, column }) => ({
    message,
    path,
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
  }));
  return kept.length > 0 ? { problems: kept } : undefined;
}

/** A domain error with a stable code. Safe to show to the client. */
export class IamError extends Error {
  override readonly name = 'IamError';
  /** More than the message, for the clients that show it (see {@link ErrorDetails}). */
  readonly details?: ErrorDetails;

  constructor(
    readonly code: ErrorCode,
    message: string,
    details?: ErrorDetails,
  ) {
    super(message);
    const kept = errorDetailsOf(details);
    if (kept) this.details = kept;
  }

  toWire(): WireError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }

  static fromWire(wire: WireError): IamError {
    return new IamError(wire.code, wire.message, wire.details);
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
  /**
   * One key twice in a request's tags. AWS adds its note on case where keys are compared
   * regardless of case (users, roles); a customer managed policy's keys are not, and AWS
   * answers it without the note.
   */
  duplicateTagKeys: (keyCase: 'insensitive' | 'sensitive') =>
    new IamError(
      'InvalidInput',
      keyCase === 'insensitive' ? 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' : 'Duplicate tag keys found.',
    ),
  /** More than 50 tags on an entity once the request's are added (AWS's words for an IAM resource over its tag quota). */
  tagLimit: () => new IamError('LimitExceeded', 'The number of tags has reached the maximum limit.'),
  unavailable: (service: string, why: string) =>
    new IamError('ServiceUnavailable', `The ${service} service is unavailable: ${why}.`),
  internal: () => new IamError('ServiceFailure', 'The request failed because of an internal error.'),
};
