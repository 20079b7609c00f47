import { CompiledPolicy, compilePolicy, PolicyDocumentError, PolicySource, ValidateOptions } from '@iam/policy-engine';
import { AuthorizationErrors } from '../shared/errors';
import { statementSpans, StatementSpan } from './statement-spans';

/** A policy compiled for evaluation, with where its statements are in its text. */
export interface CompiledDocument {
  readonly policy: CompiledPolicy;
  /** The document as written. */
  readonly text: string;
  readonly spans: readonly StatementSpan[];
}

/**
 * Validates and compiles a document with the policy engine: `kind` `managed` or `inline`
 * for a document being written, `stored` for one read back (see `ValidateOptions`).
 * Throws what AWS answers, the first problem in the order IAM checks them, in IAM's words
 * where they are known: `LimitExceeded` for a document over `maxSize`,
 * `MalformedPolicyDocument` otherwise. A `MalformedPolicyDocument` carries every problem the
 * validator found, with its JSON path and place in the text, as its details (the REST API shows
 * them; the Query API answers IAM's one message).
 */
export function compileDocument(text: string, source: PolicySource, options: ValidateOptions = {}): CompiledDocument {
  try {
    const policy = compilePolicy(text, source, options);
    return { policy, text, spans: statementSpans(text) };
  } catch (error) {
    if (error instanceof PolicyDocumentError) {
      throw AuthorizationErrors.policyDocument(error.errors);
    }
    throw error;
  }
}
