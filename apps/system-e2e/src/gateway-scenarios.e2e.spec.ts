import { IAMClient, SimulatePrincipalPolicyCommand, type ContextEntry } from '@aws-sdk/client-iam';
import { compilePolicy, createRequestContext, createRequestContextFromEntries, evaluate, type ContextKeyType } from '@iam/policy-engine';
import {
  decisionMismatches,
  loadScenarios,
  policyText,
  type ObservedDecision,
  type Scenario,
  type ScenarioCase,
  type ScenarioExpectation,
  type ScenarioPolicy,
} from '@iam/policy-engine/testing';
import { describeWithServices } from '@iam/testing';
import { ACCOUNT, expectOk, restDriver, signedFetch, startDistributedSystem, type Driver, type RunningSystem } from './support/gateway';

// One system for the whole file; every scenario file is replayed through it.
jest.setTimeout(600_000);

/** Every `*.json` file of `libs/policy-engine/scenarios`, found when the spec loads: a new file is replayed without editing this spec. */
const scenarios = loadScenarios();

/** The user a scenario's decisions are asked for, as created through the gateway. */
interface ScenarioUser {
  readonly UserName: string;
  readonly UserId: string;
  readonly Arn: string;
}

/** The two ways a client asks the gateway for a decision. */
type Front = 'POST /v1/authorize' | 'SimulatePrincipalPolicy';

/**
 * Context keys each front sets from the principal unless the request gives them (any letter
 * case): `/v1/authorize` per docs/gateway.md ("Decisions for applications"), the simulation
 * per AWS's `SimulatePrincipalPolicy` as the authorization contract documents it.
 */
function principalKeys(front: Front, user: ScenarioUser): Record<string, string> {
  const simulated = { 'aws:username': user.UserName, 'aws:userid': user.UserId, 'aws:PrincipalArn': user.Arn };
  if (front === 'SimulatePrincipalPolicy') return simulated;
  return { ...simulated, 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalType': 'User' };
}

// ── What a scenario's policies say about its context keys ────────────────────

interface StatementLike {
  readonly Sid?: string;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

function statementsOf(policy: ScenarioPolicy): StatementLike[] {
  const document = JSON.parse(policyText(policy)) as { Statement?: StatementLike | StatementLike[] };
  if (document.Statement === undefined) return [];
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

/** The value type each operator family compares; string and ARN operators take text. */
const OPERATOR_TYPES: readonly (readonly [RegExp, ContextKeyType])[] = [
  [/^numeric/i, 'numeric'],
  [/^date/i, 'date'],
  [/^bool$/i, 'boolean'],
  [/^(not)?ipaddress$/i, 'ip'],
  [/^binary/i, 'binary'],
];

/**
 * The simulation type of each context key (lower-cased) the scenario's conditions compare: the
 * type of the operators that use it, `string` when they disagree or compare text. `Null` only
 * tests presence and says nothing about the type.
 */
function keyTypes(scenario: Scenario): Map<string, ContextKeyType> {
  const types = new Map<string, ContextKeyType>();
  for (const statement of scenario.policies.flatMap(statementsOf)) {
    for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
      const base = operator.replace(/^for(all|any)values?:/i, '').replace(/ifexists$/i, '');
      if (/^null$/i.test(base)) continue;
      const type = OPERATOR_TYPES.find(([pattern]) => pattern.test(base))?.[1] ?? 'string';
      for (const key of Object.keys(block)) {
        const seen = types.get(key.toLowerCase());
        types.set(key.toLowerCase(), seen === undefined || seen === type ? type : 'string');
      }
    }
  }
  return types;
}

/** Whether `values` are accepted as `type` by the simulation APIs (the engine's own check). */
function ofType(key: string, type: ContextKeyType, values: string[]): boolean {
  try {
    createRequestContextFromEntries([{ key, type, values }]);
    return true;
  } catch {
    return false;
  }
}

/**
 * The case's context as AWS `ContextEntries`: a string is a single-valued key, an array a list
 * type, typed after the operators that compare the key. Two deliberate mappings:
 * - `[]` means the key is absent (scenario format), so no entry is sent.
 * - A value that does not parse as its operator's type (a scenario may give one to show that such
 *   a value never matches) is sent as `string`: the simulation APIs refuse a typed value that is
 *   not of its type (`InvalidInput`, as AWS does), while the type only checks values — operators
 *   parse the text themselves — so as text it reaches the engine exactly as the scenario has it.
 */
function contextEntries(testCase: ScenarioCase, types: Map<string, ContextKeyType>): ContextEntry[] {
  const entries: ContextEntry[] = [];
  for (const [key, value] of Object.entries(testCase.request.context ?? {})) {
    const values = typeof value === 'string' ? [value] : [...value];
    if (typeof value !== 'string' && values.length === 0) continue;
    const list = typeof value === 'string' ? '' : 'List';
    const typed = `${types.get(key.toLowerCase()) ?? 'string'}${list}` as ContextKeyType;
    const type = ofType(key, typed, values) ? typed : (`string${list}` as ContextKeyType);
    entries.push({ ContextKeyName: key, ContextKeyValues: values, ContextKeyType: type });
  }
  return entries;
}

// ── Where each statement is, for the simulation's positions ──────────────────

/**
 * `line:column` (1-based) of each statement's `{` in a policy document's text, by statement
 * index: where AWS's `SimulatePrincipalPolicy` says a matched statement starts.
 */
function statementPositions(text: string): string[] {
  const starts: number[] = [];
  let depth = 0;
  let key: string | undefined;
  let statementArray = false;
  const tokens = [...text.matchAll(/"(?:[^"\\]|\\.)*"|[{}[\]:,]|[^\s{}[\]:,"]+/g)];
  tokens.forEach((token, index) => {
    const [t] = token;
    if (depth === 1 && t.startsWith('"') && tokens[index + 1]?.[0] === ':') key = JSON.parse(t) as string;
    if (t === '{' || t === '[') {
      if (depth === 1 && key === 'Statement') {
        if (t === '[') statementArray = true;
        else starts.push(token.index);
      } else if (depth === 2 && statementArray && t === '{') starts.push(token.index);
      depth++;
    } else if (t === '}' || t === ']') {
      depth--;
      if (depth === 1) statementArray = false;
    }
  });
  return starts.map((offset) => {
    const line = text.slice(0, offset).split('\n').length;
    return `${line}:${offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1}`;
  });
}

// ── The order in which the service evaluates a scenario's policies ───────────

/** A scenario policy's holder: the user, or the group named in `attachedTo`. */
const holderOf = (policy: ScenarioPolicy): string => policy.attachedTo ?? 'user';
const isInline = (policy: ScenarioPolicy): boolean => policy.type === 'inline';

/**
 * The scenario's policies in the order the authorization service evaluates them (its contract:
 * the user, then each group in directory order — group names below are numbered in order of
 * first appearance so that this is the file's order — and for each holder its inline policies
 * by name, then its managed policies in the order attached). The engine reports matched
 * statements and missing keys in policy order, so an expectation written in file order is
 * compared in this order.
 */
function serviceOrder(scenario: Scenario, groupRank: Map<string, number>): ScenarioPolicy[] {
  const rank = (policy: ScenarioPolicy) => (holderOf(policy) === 'user' ? 0 : 1 + (groupRank.get(holderOf(policy).slice('group:'.length)) ?? 0));
  const byName = (a: ScenarioPolicy, b: ScenarioPolicy) => {
    if (!isInline(a) || !isInline(b)) return 0;
    const [x, y] = [a.id.toLowerCase(), b.id.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return [...scenario.policies].sort((a, b) => rank(a) - rank(b) || Number(isInline(b)) - Number(isInline(a)) || byName(a, b));
}

// ── The spec ─────────────────────────────────────────────────────────────────

/**
 * The policy engine's scenario files, replayed once more as a real client would: through the
 * HTTP gateway only, against the four apps as processes over real NATS and PostgreSQL. For each
 * file, root creates the scenario's user and groups, stores its policies and memberships through
 * the REST API, then asks every case's decision through both fronts — the REST `POST
 * /v1/authorize` and AWS's `SimulatePrincipalPolicy` through `@aws-sdk/client-iam` (Query API)
 * — and both must give the engine's decision, matched statements and missing context keys.
 */
describeWithServices('gateway: the policy engine scenarios, end to end through both fronts', () => {
  let system: RunningSystem;
  let rest: Driver;
  let iam: IAMClient;

  beforeAll(async () => {
    system = await startDistributedSystem();
    rest = restDriver(system.base);
    iam = new IAMClient({ endpoint: system.base, region: 'us-east-1', credentials: system.root, maxAttempts: 1 });
  });

  afterAll(async () => {
    iam?.destroy();
    await system?.stop();
  });

  const asRoot = (action: string, params: Record<string, unknown>) => expectOk(rest(system.root, action, params));

  it('has the scenario files to replay', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });

  it.each(scenarios.map((scenario, index) => [scenario.file, scenario, index] as const))('%s', async (file, scenario: Scenario, index: number) => {
    // Unique names per scenario (fresh database per run): scenarios never see each other's users,
    // groups or policies. Policies see the user's real name only where a case gives no
    // aws:username, and those cases are handled below.
    const prefix = `s${index}`;
    const created = (await asRoot('CreateUser', { UserName: `${prefix}-${scenario.principal?.userName ?? 'user'}` })) as { User: ScenarioUser };
    const user: ScenarioUser = created.User;

    const groupNames = [
      ...(scenario.principal?.groups ?? []),
      ...scenario.policies.flatMap((policy) => (holderOf(policy).startsWith('group:') ? [holderOf(policy).slice('group:'.length)] : [])),
    ];
    const groups = new Map<string, string>();
    const groupRank = new Map<string, number>();
    for (const name of groupNames) {
      if (groups.has(name)) continue;
      const GroupName = `${prefix}-g${String(groups.size).padStart(2, '0')}-${name}`;
      groupRank.set(name, groups.size);
      groups.set(name, GroupName);
      await asRoot('CreateGroup', { GroupName });
      await asRoot('AddUserToGroup', { GroupName, UserName: user.UserName });
    }

    // Each policy is stored under a name made of its scenario id, the way back from a matched
    // statement. `type: inline` is an inline policy of its holder; any other is a customer
    // managed policy attached to it (the scenario's `version` label only names the engine's
    // version and never changes a decision; stored policies start at v1).
    /** Stored policy name → scenario policy id. */
    const idOf = new Map<string, string>();
    /** Stored policy name → `line:column` of each statement, by index. */
    const positions = new Map<string, string[]>();
    for (const policy of scenario.policies) {
      const PolicyName = `${prefix}-${policy.id}`;
      const PolicyDocument = policyText(policy);
      idOf.set(PolicyName, policy.id);
      positions.set(PolicyName, statementPositions(PolicyDocument));
      const holder = holderOf(policy);
      const GroupName = holder === 'user' ? undefined : groups.get(holder.slice('group:'.length));
      if (isInline(policy)) {
        if (GroupName) await asRoot('PutGroupPolicy', { GroupName, PolicyName, PolicyDocument });
        else await asRoot('PutUserPolicy', { UserName: user.UserName, PolicyName, PolicyDocument });
        continue;
      }
      const { Policy } = (await asRoot('CreatePolicy', { PolicyName, PolicyDocument })) as { Policy: { Arn: string } };
      if (GroupName) await asRoot('AttachGroupPolicy', { GroupName, PolicyArn: Policy.Arn });
      else await asRoot('AttachUserPolicy', { UserName: user.UserName, PolicyArn: Policy.Arn });
    }

    const ordered = serviceOrder(scenario, groupRank);
    const inFileOrder = ordered.every((policy, i) => policy === scenario.policies[i]);
    const compiled = ordered.map((policy) => compilePolicy(policyText(policy), { id: policy.id, type: policy.type, name: policy.name }));
    const sidOf = new Map(scenario.policies.map((policy) => [policy.id, statementsOf(policy).map((statement) => statement.Sid)]));
    const types = keyTypes(scenario);

    /** The engine's decision for a case's request with `extra` keys in its context. */
    function engineDecision(testCase: ScenarioCase, extra: Record<string, string>) {
      const context = createRequestContext({ ...(testCase.request.context ?? {}), ...extra });
      const decision = evaluate(compiled, { action: testCase.request.action, resource: testCase.request.resource, context });
      if (decision.error) throw new Error(`${file} › ${testCase.name}: the engine could not evaluate the request: ${decision.error.message}`);
      return decision;
    }

    /**
     * What a front must answer for a case: the scenario's expectation, as written. One
     * exception, forced by the HTTP API: the gateway always knows who the principal is, so each
     * front sets the principal's keys (`principalKeys`) that the request does not give — an HTTP
     * client cannot ask about this user "without a user name". When a case's request lacks such
     * a key and having it changes the outcome (today: `missing-context-keys.json` "both keys
     * missing" and `variables-home-directory.json` "a principal without a user name matches
     * nothing", whose requests have no aws:username, so the engine reports it missing while the
     * gateway has it), the expectation is the engine's full decision (decision, matched
     * statements, missing keys) for the request the gateway documents it evaluates: the case's
     * context plus those keys. It is used only where the engine gives the scenario's expectation
     * for the request as written, so the difference is those keys and nothing else; anywhere
     * else the fronts are held to the file.
     */
    function expectationFor(testCase: ScenarioCase, front: Front): { expected: ScenarioExpectation; note: string } {
      const given = new Set(Object.keys(testCase.request.context ?? {}).map((key) => key.toLowerCase()));
      const added = Object.fromEntries(Object.entries(principalKeys(front, user)).filter(([key]) => !given.has(key.toLowerCase())));
      const asWritten = { expected: testCase.expect, note: '' };
      if (Object.keys(added).length === 0 || decisionMismatches(inServiceOrder(testCase.expect), engineDecision(testCase, {})).length > 0) return asWritten;
      const engine = engineDecision(testCase, added);
      if (decisionMismatches(inServiceOrder(testCase.expect), engine).length === 0) return asWritten;
      return {
        expected: { decision: engine.decision, matchedStatements: engine.matchedStatements, missingContextKeys: engine.missingContextKeys },
        note: ` (expected as the engine decides with ${Object.keys(added).join(', ')} set from the principal, as the gateway does: the scenario's request has none)`,
      };
    }

    /**
     * The expectation with matched statements in the service's policy order (exact). Missing
     * keys follow policy order and are written as in the first policy using them; only when the
     * service's order is not the file's are they compared apart, regardless of order and case
     * (`keyProblems`).
     */
    function inServiceOrder(expected: ScenarioExpectation): ScenarioExpectation {
      if (inFileOrder) return expected;
      const rank = (policyId: string) => ordered.findIndex((policy) => policy.id === policyId);
      return {
        decision: expected.decision,
        ...(expected.matchedStatements
          ? { matchedStatements: [...expected.matchedStatements].sort((a, b) => rank(a.policyId) - rank(b.policyId)) }
          : {}),
      };
    }

    function keyProblems(expected: ScenarioExpectation, observed: ObservedDecision): string[] {
      if (inFileOrder || !expected.missingContextKeys) return [];
      const lower = (keys: readonly string[]) => keys.map((key) => key.toLowerCase()).sort();
      const [want, got] = [lower(expected.missingContextKeys), lower(observed.missingContextKeys)];
      return want.join(' ') === got.join(' ') ? [] : [`missingContextKeys (any order): expected [${want.join(', ')}], got [${got.join(', ')}]`];
    }

    async function authorize(testCase: ScenarioCase): Promise<ObservedDecision> {
      const response = await signedFetch(system.base, system.root, {
        method: 'POST',
        path: '/v1/authorize',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          Principal: user.Arn,
          Action: testCase.request.action,
          Resource: testCase.request.resource,
          ContextEntries: contextEntries(testCase, types),
        }),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`POST /v1/authorize answered ${response.status}: ${text}`);
      const reply = JSON.parse(text) as {
        Decision: string;
        MatchedStatements: { PolicyName: string; StatementIndex: number; Sid?: string }[];
        MissingContextKeys: string[];
      };
      return {
        decision: reply.Decision,
        matchedStatements: reply.MatchedStatements.map((statement) => ({
          policyId: idOf.get(statement.PolicyName) ?? statement.PolicyName,
          statementIndex: statement.StatementIndex,
          ...(statement.Sid !== undefined ? { sid: statement.Sid } : {}),
        })),
        missingContextKeys: reply.MissingContextKeys,
      };
    }

    async function simulate(testCase: ScenarioCase): Promise<ObservedDecision> {
      const reply = await iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: user.Arn,
          ActionNames: [testCase.request.action],
          ResourceArns: [testCase.request.resource],
          ContextEntries: contextEntries(testCase, types),
        }),
      );
      const results = reply.EvaluationResults ?? [];
      if (results.length !== 1) throw new Error(`SimulatePrincipalPolicy gave ${results.length} results for one action and one resource`);
      const [result] = results;
      return {
        decision: String(result.EvalDecision),
        // AWS names a matched statement by its policy and where it starts in the document.
        matchedStatements: (result.MatchedStatements ?? []).map((statement) => {
          const name = String(statement.SourcePolicyId);
          const policyId = idOf.get(name) ?? name;
          const statementIndex = (positions.get(name) ?? []).indexOf(`${statement.StartPosition?.Line}:${statement.StartPosition?.Column}`);
          const sid = sidOf.get(policyId)?.[statementIndex];
          return { policyId, statementIndex, ...(sid !== undefined ? { sid } : {}) };
        }),
        missingContextKeys: result.MissingContextValues ?? [],
      };
    }

    const problems: string[] = [];
    let asked = 0;
    for (const testCase of scenario.cases) {
      for (const [front, ask] of [
        ['POST /v1/authorize', authorize],
        ['SimulatePrincipalPolicy', simulate],
      ] as const) {
        const { expected, note } = expectationFor(testCase, front);
        const observed = await ask(testCase).catch((error: Error) => error);
        asked++;
        if (observed instanceof Error) {
          problems.push(`${file} › ${testCase.name} › ${front}: failed: ${observed.message}`);
          continue;
        }
        for (const mismatch of [...decisionMismatches(inServiceOrder(expected), observed), ...keyProblems(expected, observed)]) {
          problems.push(`${file} › ${testCase.name} › ${front}: ${mismatch}${note}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(asked).toBe(scenario.cases.length * 2);
  });
});
