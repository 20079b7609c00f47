/** What the fronts note on a request for its log line: the operation, and who called. */
export interface LoggedRequest {
  iamAction?: string;
  /** The caller's ARN, once authenticated. */
  iamPrincipal?: string;
  /** The error code the request was answered with, if any. */
  iamErrorCode?: string;
}
