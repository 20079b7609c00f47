/**
 * Scenario files: policies, requests and expected decisions as JSON data, replayed by the
 * engine's specs and, later, by the authorization service over the bus and by the gateway
 * end to end. The format is documented in `libs/policy-engine/scenarios/README.md`.
 *
 * Test helper only (reads files); not part of the engine's main entry. No test framework
 * dependency: callers assert on the mismatch lists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type ScenarioDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface ScenarioPolicy {
  /** Policy id; matched statements refer to it. */
  readonly id: string;
  readonly version?: string;
  /** Source label handed to the engine (e.g. `managed`, `inline`). */
  readonly type?: string;
  readonly name?: string;
  /** For replay with real principals: `user` or `group:<name>`. Ignored by the engine. */
  readonly attachedTo?: string;
  /** The policy document: a JSON object, or JSON text kept verbatim. */
  readonly document: unknown;
}

export interface ScenarioStatement {
  readonly policyId: string;
  readonly statementIndex: number;
  readonly sid?: string;
}

export interface ScenarioExpectation {
  readonly decision: ScenarioDecision;
  /** When present, exactly these statements, in policy then statement order. */
  readonly matchedStatements?: readonly ScenarioStatement[];
  /** When present, exactly these keys, in this order. */
  readonly missingContextKeys?: readonly string[];
}

export interface ScenarioRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface ScenarioCase {
  readonly name: string;
  readonly request: ScenarioRequest;
  readonly expect: ScenarioExpectation;
}

export interface Scenario {
  /** File name, e.g. `deny-overrides-allow.json`. */
  readonly file: string;
  readonly description: string;
  /** Documentation the scenario comes from. */
  readonly source?: string;
  /** For replay with real principals: the user and the groups it belongs to. */
  readonly principal?: { readonly userName: string; readonly groups?: readonly string[] };
  readonly policies: readonly ScenarioPolicy[];
  readonly cases: readonly ScenarioCase[];
}

/** The engine's own scenario directory. */
export const ENGINE_SCENARIOS_DIR = resolve(__dirname, '../../scenarios');

const DECISIONS = new Set(['allowed', 'explicitDeny', 'implicitDeny']);

function fail(file: string, where: string, what: string): never {
  throw new Error(`scenario ${file}: ${where} ${what}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and checks one scenario file's text. @throws Error naming the file and the problem. */
export function parseScenario(text: string, file: string): Scenario {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(file, 'file', `is not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(data)) return fail(file, 'file', 'must be a JSON object');
  if (typeof data['description'] !== 'string') fail(file, 'description', 'must be a string');
  if (!Array.isArray(data['policies'])) fail(file, 'policies', 'must be an array');
  if (!Array.isArray(data['cases']) || data['cases'].length === 0) fail(file, 'cases', 'must be a non-empty array');
  const ids = new Set<string>();
  (data['policies'] as unknown[]).forEach((p, i) => {
    if (!isRecord(p) || typeof p['id'] !== 'string') fail(file, `policies[${i}]`, 'needs a string id');
    if (ids.has(p['id'] as string)) fail(file, `policies[${i}]`, `repeats id "${String(p['id'])}"`);
    ids.add(p['id'] as string);
    if (!('document' in p)) fail(file, `policies[${i}]`, 'needs a document');
  });
  (data['cases'] as unknown[]).forEach((c, i) => {
    if (!isRecord(c) || typeof c['name'] !== 'string') fail(file, `cases[${i}]`, 'needs a string name');
    const r = c['request'];
    if (!isRecord(r) || typeof r['action'] !== 'string' || typeof r['resource'] !== 'string') {
      fail(file, `cases[${i}].request`, 'needs string action and resource');
    }
    const e = c['expect'];
    if (!isRecord(e) || !DECISIONS.has(e['decision'] as string)) fail(file, `cases[${i}].expect.decision`, 'must be allowed, explicitDeny or implicitDeny');
    const matched = e['matchedStatements'];
    if (matched !== undefined) {
      if (!Array.isArray(matched)) fail(file, `cases[${i}].expect.matchedStatements`, 'must be an array');
      for (const m of matched as unknown[]) {
        if (!isRecord(m) || !ids.has(m['policyId'] as string) || typeof m['statementIndex'] !== 'number') {
          fail(file, `cases[${i}].expect.matchedStatements`, 'entries need a known policyId and a statementIndex');
        }
      }
    }
  });
  return { ...(data as unknown as Omit<Scenario, 'file'>), file };
}

/** Loads every `*.json` scenario of a directory, sorted by file name. */
export function loadScenarios(dir: string = ENGINE_SCENARIOS_DIR): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseScenario(readFileSync(join(dir, f), 'utf8'), f));
}

/** The policy document as JSON text: verbatim when the file gives text. */
export function policyText(policy: ScenarioPolicy): string {
  return typeof policy.document === 'string' ? policy.document : JSON.stringify(policy.document);
}

/** What an evaluation produced, in the engine's `Decision` shape (or the service's reply). */
export interface ObservedDecision {
  readonly decision: string;
  readonly matchedStatements: readonly { readonly policyId: string; readonly statementIndex: number; readonly sid?: string }[];
  readonly missingContextKeys: readonly string[];
}

/** Differences between an expectation and an observed decision; `[]` when they agree. */
export function decisionMismatches(expected: ScenarioExpectation, observed: ObservedDecision): string[] {
  const out: string[] = [];
  if (observed.decision !== expected.decision) out.push(`decision: expected ${expected.decision}, got ${observed.decision}`);
  if (expected.matchedStatements) {
    const want = expected.matchedStatements.map((s) => `${s.policyId}#${s.statementIndex}${s.sid ? `(${s.sid})` : ''}`);
    const got = observed.matchedStatements.map((s, i) => {
      const sidWanted = expected.matchedStatements?.[i]?.sid !== undefined;
      return `${s.policyId}#${s.statementIndex}${sidWanted && s.sid ? `(${s.sid})` : ''}`;
    });
    if (want.join(' ') !== got.join(' ')) out.push(`matchedStatements: expected [${want.join(', ')}], got [${got.join(', ')}]`);
  }
  if (expected.missingContextKeys && expected.missingContextKeys.join('\n') !== observed.missingContextKeys.join('\n')) {
    out.push(`missingContextKeys: expected [${expected.missingContextKeys.join(', ')}], got [${observed.missingContextKeys.join(', ')}]`);
  }
  return out;
}
