import { ErrorCode } from '@iam/contracts';

/**
 * The one table from error codes to HTTP statuses, as AWS IAM answers them.
 * Every front (REST JSON, AWS Query XML) uses it.
 */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  DeleteConflict: 409,
  LimitExceeded: 409,
  ConcurrentModification: 409,
  EntityTemporarilyUnmodifiable: 409,
  ValidationError: 400,
  InvalidInput: 400,
  MalformedPolicyDocument: 400,
  PasswordPolicyViolation: 400,
  PolicyNotAttachable: 400,
  UnmodifiableEntity: 400,
  InvalidAction: 400,
  ReportNotPresent: 410,
  ReportExpired: 410,
  NotFound: 404,
  AccessDenied: 403,
  MissingAuthenticationToken: 403,
  IncompleteSignature: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  RequestExpired: 400,
  ExpiredToken: 403,
  InvalidToken: 403,
  SignInFailed: 401,
  InvalidAuthenticationCode: 403,
  PasswordResetRequired: 403,
  // AWS answers Throttling with 400; we answer 429 (Too Many Requests) so that clients and
  // proxies see a retryable refusal (docs/gateway.md).
  Throttling: 429,
  ServiceUnavailable: 503,
  ServiceFailure: 500,
};

/** `Sender` for the caller's mistakes, `Receiver` for ours, as in AWS error bodies. */
export function faultOf(code: ErrorCode): 'Sender' | 'Receiver' {
  return ERROR_STATUS[code] >= 500 ? 'Receiver' : 'Sender';
}
