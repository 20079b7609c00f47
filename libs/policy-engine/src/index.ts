/**
 * @iam/policy-engine: AWS IAM identity-based policy grammar, validation, compilation and
 * evaluation. Pure: no I/O, no framework. Every authorization decision and every
 * simulation goes through `evaluate`.
 *
 * Typical use:
 * ```ts
 * const errors = validatePolicyDocument(text, { maxSize: MANAGED_POLICY_MAX_SIZE }); // at write time
 * const policy = compilePolicy(text, { id: 'ANPA...', version: 'v2', type: 'managed' }); // once per version
 * const context = createRequestContext({ 'aws:username': 'alice', 'aws:SourceIp': '10.0.0.1' }); // once per request
 * const decision = evaluate([policy], { action: 'iam:GetUser', resource: 'arn:aws:iam::123456789012:user/alice', context });
 * ```
 */
export { validatePolicyDocument } from './lib/document/validate';
export { VALIDATION_PHASES } from './lib/document/validate';
export type { PolicyValidationError, PolicyLanguageVersion, PolicyKind, ValidateOptions } from './lib/document/validate';
export {
  policyDocumentSize,
  MANAGED_POLICY_MAX_SIZE,
  USER_INLINE_POLICIES_MAX_SIZE,
  GROUP_INLINE_POLICIES_MAX_SIZE,
} from './lib/document/size';
export { compilePolicy, PolicyDocumentError } from './lib/document/compile';
export type { CompiledPolicy, PolicySource, StatementRef } from './lib/model';
export { createRequestContext, createRequestContextFromEntries, RequestContextError } from './lib/context/request-context';
export type { RequestContext, ContextEntry, ContextKeyType } from './lib/context/request-context';
export { evaluate } from './lib/evaluate/evaluate';
export type { Decision, DecisionKind, AuthorizationRequest } from './lib/evaluate/evaluate';
export { referencedContextKeys } from './lib/analysis/context-keys';
export { analyzeAccess, combineAccess, explainAccess } from './lib/analysis/access';
export type { AccessQuery, AccessStatement, AccessSummary, AccessVerdict, PolicyAccess } from './lib/analysis/access';
export { CONDITION_OPERATOR_NAMES } from './lib/conditions/registry';
