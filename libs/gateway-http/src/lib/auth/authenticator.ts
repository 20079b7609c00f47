import type { Caller } from '../application/caller';
import type { RequestInfo } from '../application/request-info';

/**
 * Finds out who makes a request: a SigV4 signature (header or presigned query) checked by the
 * identity service, or a bearer session token. Rejects with AWS's codes:
 * `MissingAuthenticationToken` (no credentials), `IncompleteSignature`, `RequestExpired`,
 * `SignatureDoesNotMatch`, `InvalidClientTokenId`, `InvalidToken`/`ExpiredToken` (sessions).
 */
export abstract class Authenticator {
  abstract authenticate(request: RequestInfo): Promise<Caller>;
}
