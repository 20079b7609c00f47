/** The only signing algorithm accepted. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** The fixed last element of a credential scope. */
export const SIGV4_TERMINATOR = 'aws4_request';
/** The largest `X-Amz-Expires` AWS accepts: seven days. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604800;
/** The clock skew AWS tolerates between client and server. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Query parameter names of a presigned request. */
export const PRESIGN_PARAMS = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  expires: 'X-Amz-Expires',
  signedHeaders: 'X-Amz-SignedHeaders',
  signature: 'X-Amz-Signature',
  securityToken: 'X-Amz-Security-Token',
} as const;

/** Every query parameter that belongs to SigV4 presigning rather than to the operation. */
export const PRESIGN_PARAM_NAMES: readonly string[] = Object.values(PRESIGN_PARAMS);
