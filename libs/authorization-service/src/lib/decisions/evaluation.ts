import { CompiledPolicy, Decision, evaluate, RequestContext, StatementRef } from '@iam/policy-engine';
import { CompiledDocument } from '../documents/policy-documents';

/** Where an evaluated policy comes from, for explanations. */
export interface PolicyOrigin {
  readonly document: CompiledDocument;
}

/** A statement that decided, with the policy it belongs to. */
export interface DecidingStatement<O extends PolicyOrigin> {
  readonly statement: StatementRef;
  readonly origin: O;
}

export interface Evaluation<O extends PolicyOrigin> {
  readonly decision: Decision;
  readonly statements: readonly DecidingStatement<O>[];
}

/** One request, as the engine takes it. */
export interface EvaluationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: RequestContext;
}

/**
 * The one evaluation of the service: `Authorize` and the simulations both
 * decide through here, on compiled policies only (the engine's `evaluate`).
 */
export function evaluatePolicies<O extends PolicyOrigin>(
  origins: readonly O[],
  request: EvaluationRequest,
  compiled: readonly CompiledPolicy[] = origins.map((origin) => origin.document.policy),
): Evaluation<O> {
  const decision = evaluate(compiled, request);
  const statements: DecidingStatement<O>[] = [];
  for (const statement of decision.matchedStatements) {
    const origin = origins.find((candidate) => candidate.document.policy.statements[statement.statementIndex] === statement);
    if (origin) statements.push({ statement, origin });
  }
  return { decision, statements };
}
