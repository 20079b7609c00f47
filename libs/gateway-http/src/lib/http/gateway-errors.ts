import { INVALID_CLIENT_TOKEN_ID_MESSAGE, SIGNATURE_MISMATCH_MESSAGE } from '@iam/aws-protocol';
import { Errors, IamError } from '@iam/contracts';

/** The gateway's own errors (requests it refuses before any service sees them), worded as AWS words them where AWS has a wording. */
export const GatewayErrors = {
  noSuchUser: Errors.noSuchUser,

  // Authentication.
  missingAuthenticationToken: () => new IamError('MissingAuthenticationToken', 'Request is missing Authentication Token'),
  invalidClientTokenId: () => new IamError('InvalidClientTokenId', INVALID_CLIENT_TOKEN_ID_MESSAGE),
  signatureDoesNotMatch: () => new IamError('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE),
  invalidToken: () => new IamError('InvalidToken', 'The session token is not valid.'),
  notASession: () => new IamError('InvalidInput', 'This request is not authenticated with a session token (Authorization: Bearer).'),
  passwordResetRequired: () =>
    new IamError(
      'PasswordResetRequired',
      'Your password has expired or must be reset: change it with ChangePassword (POST /v1/me/password) before doing anything else.',
    ),
  accessDenied: (message: string) => new IamError('AccessDenied', message),
  accessKeyDenied: (callerArn: string, action: string, accessKeyId: string) =>
    new IamError('AccessDenied', `User: ${callerArn} is not authorized to perform: ${action} on the access key ${accessKeyId}`),

  // The Query front.
  missingAction: () => new IamError('InvalidAction', 'The request must contain the parameter Action.'),
  actionNotYetSupported: (action: string) => new IamError('InvalidAction', `The action ${action} is not supported by this server yet.`),
  unknownAction: (action: string, version: string) => new IamError('InvalidAction', `Could not find operation ${action} for version ${version}`),

  // The REST front.
  misdirectedQuery: () =>
    new IamError(
      'NotFound',
      'This is the REST API (/v1); AWS SDKs and the AWS CLI speak the Query API at /: set the endpoint to the address without /v1, e.g. http://127.0.0.1:8080.',
    ),
  noRoute: (method: string, path: string) => new IamError('NotFound', `No route for ${method} ${path}.`),
  methodNotAllowed: (method: string, path: string, allowed: readonly string[]) =>
    new IamError('InvalidAction', `${method} is not allowed on ${path}; use ${[...new Set(allowed)].join(', ')}.`),
  badPathSegment: (segment: string) => new IamError('ValidationError', `The path segment '${segment}' is not valid percent-encoded UTF-8.`),
  notJson: (mediaType: string) =>
    new IamError('ValidationError', `The request body must be application/json (got '${mediaType || 'no content type'}').`),
  badJson: (why: string) => new IamError('ValidationError', `The request body is not valid JSON: ${why}.`),
  bodyNotObject: () => new IamError('ValidationError', 'The request body must be a JSON object.'),
  repeatedQueryParameter: (param: string) => new IamError('ValidationError', `The query parameter '${param}' appears more than once.`),
  unexpectedBody: (method: string, path: string) => new IamError('ValidationError', `${method} ${path} takes no request body.`),

  // Input of either front.
  unsupportedParameter: (name: string, operation: string) =>
    new IamError('InvalidInput', `The parameter '${name}' of ${operation} is not supported by this server.`),
  unrecognizedParameter: (name: string, operation: string) =>
    new IamError('ValidationError', `The parameter '${name}' is not recognized by ${operation}.`),
  validation: (message: string) => new IamError('ValidationError', message),
  signInTarget: () => new IamError('ValidationError', 'Give either UserName or "Root": true, not both.'),

  // Simulation and decisions.
  principalOfOtherAccount: (principal: string) => new IamError('NoSuchEntity', `The principal ${principal} is not of this account.`),
  notAPrincipal: (principal: string) =>
    new IamError('InvalidInput', `The principal ${principal} is not a user ARN, a root ARN or a user name.`),
  noSuchUserArn: (arn: string) => new IamError('NoSuchEntity', `The user with ARN ${arn} cannot be found.`),
  repeatedContextKey: (name: string, previous: string) =>
    new IamError('InvalidInput', `The context key ${name} is given twice (as ${previous}); context key names are case-insensitive.`),
  contextKeyArity: (name: string, type: string, count: number) =>
    new IamError('InvalidInput', `The context key ${name} of type ${type} takes one value, got ${count}.`),
  contextKeyOfTheServer: (name: string) =>
    new IamError(
      'InvalidInput',
      `The context key ${name} cannot be given: the server sets it from the request or the resource (only keys of the request's own parameters, such as iam:PolicyARN, aws:RequestTag/* and aws:TagKeys, can be).`,
    ),
  badContextValue: (why: string) => new IamError('InvalidInput', `Invalid context entry: ${why}.`),
  undecided: (why: string) => new IamError('ServiceUnavailable', `The decision could not be made: ${why}`),

  // Views assembled from several services.
  viewPartFailed: (view: string, part: string, why: string) =>
    new IamError('ServiceUnavailable', `The ${view} is unavailable: its part '${part}' failed (${why}).`),
  viewFailed: (view: string, why: string) => new IamError('ServiceUnavailable', `The ${view} is unavailable: a part of it failed (${why}). Try again.`),
};
