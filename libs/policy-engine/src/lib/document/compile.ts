/**
 * Compilation: a validated document becomes an immutable model. Action patterns are
 * lower-cased (actions match case-insensitively), resource patterns keep their case
 * (ARNs match case-sensitively), condition values are parsed once.
 */
import { compileCondition } from '../conditions/condition';
import { CompiledPolicy, KeyRef, MODEL, PolicyModel, PolicySource, StatementModel, StatementRef } from '../model';
import { compilePattern, Pattern } from '../pattern/pattern';
import { parsePolicyDocument, PolicyValidationError, ValidateOptions } from './validate';

/** Thrown by `compilePolicy` for an invalid document; `errors` lists every problem. */
export class PolicyDocumentError extends Error {
  override readonly name = 'PolicyDocumentError';
  constructor(readonly errors: readonly PolicyValidationError[]) {
    super(errors.length === 1 ? errors[0].message : `${errors.length} problems, the first: ${errors[0]?.message}`);
  }
}

function freezeSource(source: PolicySource): PolicySource {
  if (!source || typeof source.id !== 'string') throw new TypeError('compilePolicy needs a source with a string id');
  const out: { -readonly [K in keyof PolicySource]: PolicySource[K] } = { id: source.id };
  if (source.version !== undefined) out.version = source.version;
  if (source.type !== undefined) out.type = source.type;
  if (source.name !== undefined) out.name = source.name;
  return Object.freeze(out);
}

class KeyCollector {
  private readonly seen = new Set<string>();
  readonly keys: KeyRef[] = [];
  add(name: string): void {
    const key = name.toLowerCase();
    if (name === '' || this.seen.has(key)) return;
    this.seen.add(key);
    this.keys.push(Object.freeze({ name, key }));
  }
  addVariables(p: Pattern, all: KeyCollector | undefined): void {
    for (const v of p.vars) {
      all?.add(v.name);
      if (v.defaultValue === undefined) this.add(v.name);
    }
  }
}

/** Which statements can apply to an action of each service; see `PolicyModel.byService`. */
function indexByService(statements: readonly StatementModel[]): Pick<PolicyModel, 'byService' | 'anyService'> {
  const services = (st: StatementModel): Set<string> | undefined => {
    if (st.notAction) return undefined;
    const out = new Set<string>();
    for (const a of st.actions) {
      const colon = a.source.indexOf(':');
      if (colon < 0) return undefined; // "*"
      const service = a.source.slice(0, colon).toLowerCase();
      if (service.includes('*') || service.includes('?')) return undefined; // "*:Get*" may match any service
      out.add(service);
    }
    return out;
  };
  const perStatement = statements.map(services);
  const all = new Set<string>();
  for (const set of perStatement) if (set) for (const svc of set) all.add(svc);
  const byService = new Map<string, readonly StatementModel[]>();
  for (const svc of all) {
    byService.set(svc, Object.freeze(statements.filter((_, i) => perStatement[i] === undefined || perStatement[i]?.has(svc))));
  }
  return { byService, anyService: Object.freeze(statements.filter((_, i) => perStatement[i] === undefined)) };
}

/**
 * Validates and compiles a policy document once, for any number of evaluations.
 *
 * @param text the policy document (JSON text)
 * @param source who the policy is; echoed in every decision's matched statements
 * @param opts `maxSize`: also enforce a size quota (see `validatePolicyDocument`)
 * @throws PolicyDocumentError when the document is invalid (its `errors` say why)
 */
export function compilePolicy(text: string, source: PolicySource, opts: ValidateOptions = {}): CompiledPolicy {
  const src = freezeSource(source);
  const { errors, policy } = parsePolicyDocument(text, opts);
  if (!policy) throw new PolicyDocumentError(errors);
  const variables = policy.version === '2012-10-17';
  const policyKeys = new KeyCollector();
  const refs: StatementRef[] = [];
  const statements: StatementModel[] = policy.statements.map((st) => {
    const ref: { -readonly [K in keyof StatementRef]: StatementRef[K] } = {
      policyId: src.id,
      statementIndex: st.index,
      effect: st.effect,
    };
    if (src.version !== undefined) ref.policyVersion = src.version;
    if (src.type !== undefined) ref.policyType = src.type;
    if (src.name !== undefined) ref.policyName = src.name;
    if (st.sid !== undefined && st.sid !== '') ref.sid = st.sid;
    Object.freeze(ref);
    refs.push(ref);
    const statementKeys = new KeyCollector();
    const actions = st.actions.map((a) => compilePattern(a, { wildcards: true, variables: false, arn: 'none', ignoreCase: true }));
    const resources = st.resources.map((r) => {
      const p = compilePattern(r, { wildcards: true, variables, arn: 'resource', ignoreCase: false });
      statementKeys.addVariables(p, policyKeys);
      return p;
    });
    const conditions = st.conditions.map((c) => {
      const compiled = compileCondition(c.operatorText, c.spec, c.keyName, c.values, variables);
      policyKeys.add(c.keyName);
      statementKeys.add(c.keyName);
      for (const v of compiled.values) {
        if (typeof v === 'object' && v !== null && 'vars' in v) statementKeys.addVariables(v as Pattern, policyKeys);
      }
      return compiled;
    });
    return Object.freeze({
      ref,
      deny: st.effect === 'Deny',
      notAction: st.notAction,
      actions: Object.freeze(actions),
      notResource: st.notResource,
      resources: Object.freeze(resources),
      conditions: Object.freeze(conditions),
      keys: Object.freeze(statementKeys.keys),
    });
  });
  const model: PolicyModel = Object.freeze({ statements: Object.freeze(statements), ...indexByService(statements) });
  return Object.freeze({
    source: src,
    languageVersion: policy.version,
    statements: Object.freeze(refs),
    contextKeys: Object.freeze(policyKeys.keys.map((k) => k.name)),
    size: policy.size,
    [MODEL]: model,
  });
}
