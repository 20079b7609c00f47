import type { Caller } from '../application/caller';
import type { RequestInfo } from '../application/request-info';

/**
 * Finds out who makes a request: a SigV4 signature (header or presigned query) checked by the
 * identity service, or a bearer session token. Rejects with AWS's codes:
 * `MissingAuthenticationToken` (no credentials), `IncompleteSignature`, `RequestExpired`,
 * `SignatureDoesNotMatch`, `InvalidClientTokenId`, `InvalidToken`/`ExpiredToken` (sessions).
 */
export abstract class Authenticator {
  /** `service`: the service a SigV4 signature must be scoped to (`iam`, or `sts` for STS actions). */
  abstract authenticate(request: RequestInfo, service?: 'iam' | 'sts'): Promise<Caller>;
}
