import { IamError } from '@iam/contracts';
import { CompiledPolicy, compilePolicy, PolicyDocumentError, PolicySource, PolicyValidationError } from '@iam/policy-engine';
import { statementSpans, StatementSpan } from './statement-spans';

/** A policy compiled for evaluation, with where its statements are in its text. */
export interface CompiledDocument {
  readonly policy: CompiledPolicy;
  /** The document as written. */
  readonly text: string;
  readonly spans: readonly StatementSpan[];
}

function describe(errors: readonly PolicyValidationError[]): string {
  return errors.map((error) => (error.path ? `${error.path}: ${error.message}` : error.message)).join('; ');
}

/**
 * Validates and compiles a document with the policy engine, as it is written.
 * Throws what AWS answers: `LimitExceeded` for a document over `maxSize`,
 * `MalformedPolicyDocument` (with the engine's paths and reasons) otherwise.
 */
export function compileDocument(text: string, source: PolicySource, maxSize?: number): CompiledDocument {
  try {
    const policy = compilePolicy(text, source, maxSize === undefined ? {} : { maxSize });
    return { policy, text, spans: statementSpans(text) };
  } catch (error) {
    if (error instanceof PolicyDocumentError) {
      if (maxSize !== undefined && error.errors.some((e) => e.code === 'LimitExceeded')) {
        throw new IamError('LimitExceeded', `Cannot exceed quota for PolicySize: ${maxSize}`);
      }
      throw new IamError('MalformedPolicyDocument', describe(error.errors));
    }
    throw error;
  }
}
