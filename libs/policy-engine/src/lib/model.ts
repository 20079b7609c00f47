/**
 * The compiled, immutable policy model. Built once per policy version by `compilePolicy`;
 * evaluation reads it and never re-parses JSON, patterns or static condition values.
 */
import type { CompiledCondition } from './conditions/condition';
import type { PolicyLanguageVersion } from './document/validate';
import type { Pattern } from './pattern/pattern';

/** Who a policy is, as the caller names it when compiling. Echoed in every decision. */
export interface PolicySource {
  /** Policy id (e.g. the managed policy id or an inline policy's owner and name). */
  readonly id: string;
  /** Policy version id (e.g. `v3`), if any. */
  readonly version?: string;
  /** Policy type or source label (e.g. `managed`, `inline`, `group:developers`). */
  readonly type?: string;
  /** Display name. */
  readonly name?: string;
}

/** A statement that decided a request, or that could grant or deny it. */
export interface StatementRef {
  readonly policyId: string;
  readonly policyVersion?: string;
  readonly policyType?: string;
  readonly policyName?: string;
  /** The statement's Sid, when it has one. */
  readonly sid?: string;
  /** Zero-based position of the statement in the policy (0 when Statement is a single object). */
  readonly statementIndex: number;
  readonly effect: 'Allow' | 'Deny';
}

/** @internal A context key a statement depends on. */
export interface KeyRef {
  /** As written in the policy. */
  readonly name: string;
  /** Lower-cased. */
  readonly key: string;
}

/** @internal */
export interface StatementModel {
  readonly ref: StatementRef;
  readonly deny: boolean;
  readonly notAction: boolean;
  /** Lower-cased action patterns. */
  readonly actions: readonly Pattern[];
  readonly notResource: boolean;
  readonly resources: readonly Pattern[];
  readonly conditions: readonly CompiledCondition[];
  /** Condition keys and variables without default, for `missingContextKeys`. */
  readonly keys: readonly KeyRef[];
}

/** @internal */
export interface PolicyModel {
  readonly statements: readonly StatementModel[];
  /**
   * The statements that can apply to an action of a service (lower-cased prefix), in
   * document order: those naming the service in Action, plus `anyService`.
   */
  readonly byService: ReadonlyMap<string, readonly StatementModel[]>;
  /** Statements with Action `*` or with NotAction: they can apply to any service. */
  readonly anyService: readonly StatementModel[];
}

/** @internal Where a compiled policy keeps its model. */
export const MODEL: unique symbol = Symbol('policy-engine.model');

/**
 * A policy compiled for evaluation. Immutable; safe to cache and share between requests
 * (compile once per policy version). Only `compilePolicy` creates them.
 */
export interface CompiledPolicy {
  readonly source: PolicySource;
  /** Policy language version in effect: the document's Version, `2008-10-17` when it has none. */
  readonly languageVersion: PolicyLanguageVersion;
  /** The statements, in document order. */
  readonly statements: readonly StatementRef[];
  /**
   * Context keys the policy references (condition keys and policy variables), as written,
   * de-duplicated without regard to case, in order of first appearance.
   */
  readonly contextKeys: readonly string[];
  /** Size of the document as IAM counts it (characters without white space). */
  readonly size: number;
  /** @internal */
  readonly [MODEL]: PolicyModel;
}
