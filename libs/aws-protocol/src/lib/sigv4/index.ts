export * from './types';
export * from './constants';
export {
  parseAuthorizationHeader,
  parseCredential,
  parsePresignedQuery,
  extractSigV4Auth,
  checkCredentialScope,
  splitRawQuery,
  type RawQueryPair,
  type CredentialScopeOptions,
} from './authorization';
export * from './canonical';
export * from './time';
export * from './crypto';
export * from './verification';
