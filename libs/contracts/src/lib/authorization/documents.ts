import { event, payload } from '../pattern';

// Policy documents, compiled ahead of decisions: `libs/authorization-service/src/lib/documents`.

export type PolicyDocumentWritten =
  | { Kind: 'managed'; PolicyId: string; VersionId: string }
  | { Kind: 'inline'; PrincipalId: string; PolicyName: string };

export const DocumentEvents = {
  /**
   * A policy document was written: a managed policy version (created with
   * the policy or after) or an inline policy (put). Replicas compile it ahead
   * of the first decision that needs it. Only a speed-up: a replica that
   * misses it compiles the document when a decision first needs it, and no
   * grant ever depends on it.
   */
  PolicyDocumentWritten: event('authorization.policy-document.written', payload<PolicyDocumentWritten>()),
} as const;
