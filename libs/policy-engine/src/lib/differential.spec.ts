/**
 * Differential test: the engine against @cloud-copilot/iam-simulate (AGPL-3.0; a test
 * oracle only, imported here and in the benchmark, never by shipped code).
 *
 * 5,000 seeded random cases, each a set of 1-4 policies of 1-4 statements and two
 * requests (10,000 decisions), covering every condition operator family, IfExists,
 * ForAllValues/ForAnyValue, Null, NotAction/NotResource, policy variables (defaults,
 * special characters, variables without value), action and resource wildcards, short
 * ARNs, both policy language versions and Allow/Deny mixes. Zero disagreements on the
 * decision are allowed.
 *
 * Where iam-simulate departs from the AWS documentation, the generator steers clear and
 * DEVIATIONS pins the departure with the documentation sentence: the engine must give the
 * documented outcome and iam-simulate the other (when iam-simulate changes, the entry
 * fails and should be dropped).
 *
 * What is compared (domain, not deviations): request resources are concrete ARNs
 * (iam-simulate reads `*` in a request resource as a wildcard query); partition, service,
 * region and account are lower case (iam-simulate compares them case-insensitively; the
 * engine compares ARNs case-sensitively, as the Resource page says); context values are
 * non-empty ASCII; the resource type before the first `/` of a non-S3 resource has no
 * wildcard (deviation 6).
 */
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { writeFileSync } from 'node:fs';
import { CompiledPolicy, compilePolicy, createRequestContext, evaluate } from '../index';

const SEED = 4242;
const CASES = 5000;
const ACCOUNT = '123456789012';

type Json = Record<string, unknown>;
type Context = Record<string, string | string[]>;

interface Case {
  policies: { Version?: string; Statement: Json[] }[];
  requests: { action: string; resource: string; context: Context }[];
}

// ---- the oracle ---------------------------------------------------------------------

const ORACLE: Record<string, string> = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' };

function oracle(policies: Case['policies'], request: Case['requests'][number]): string {
  const result = runUnsafeSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:user/alice`,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context,
      },
      identityPolicies: policies.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  return ORACLE[result] ?? `unknown ${String(result)}`;
}

const compileAll = (policies: Case['policies']): CompiledPolicy[] => policies.map((p, i) => compilePolicy(JSON.stringify(p), { id: `p${i}` }));

function engine(policies: Case['policies'] | CompiledPolicy[], request: Case['requests'][number]): string {
  const compiled = policies.every((p) => 'source' in p) ? (policies as CompiledPolicy[]) : compileAll(policies as Case['policies']);
  const d = evaluate(compiled, { action: request.action, resource: request.resource, context: createRequestContext(request.context) });
  if (d.error) throw new Error(d.error.message);
  return d.decision;
}

// ---- the universe ---------------------------------------------------------------------

const SERVICES: Record<string, { actions: string[]; resources: string[]; patterns: string[] }> = {
  s3: {
    actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
    resources: [
      'arn:aws:s3:::data-bucket',
      'arn:aws:s3:::data-bucket/alice/a.txt',
      'arn:aws:s3:::home-bucket/alice/notes/b.csv',
      'arn:aws:s3:::home-bucket/bob/x.json',
      'arn:aws:s3:::home-bucket/Alice/a.txt',
      'arn:aws:s3:::home-bucket/red/r.txt',
      'arn:aws:s3:::prod-logs/2024/app.log',
    ],
    patterns: [
      'arn:aws:s3:::data-bucket',
      'arn:aws:s3:::data-bucket/*',
      'arn:aws:s3:::*',
      'arn:aws:s3:::*-bucket/*',
      'arn:aws:s3:::home-bucket/${aws:username}/*',
      "arn:aws:s3:::home-bucket/${aws:PrincipalTag/team, 'alice'}/*",
      'arn:aws:s3:::home-bucket/${aws:PrincipalTag/team}/*',
      'arn:aws:s3:::home-bucket/${aws:userid}/*',
      'arn:aws:s3:::home-bucket/?lice/*',
      'arn:aws:s3:::prod-*/*/*.log',
      'arn:aws:s3:::home-bucket/*/x.json',
    ],
  },
  ec2: {
    actions: ['ec2:StartInstances', 'ec2:DescribeInstances', 'ec2:TerminateInstances'],
    resources: [
      `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0abc`,
      `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1def`,
      'arn:aws:ec2:us-east-1:999999999999:instance/i-0abc',
    ],
    patterns: [
      `arn:aws:ec2:*:${ACCOUNT}:instance/*`,
      'arn:aws:ec2:us-east-1:*:instance/i-0*',
      'arn:aws:ec2:*:*:*',
      'arn:aws:ec2:*',
      'arn:aws:ec2:us-*-1:*:instance/*',
      `arn:aws:ec2:eu-west-?:${ACCOUNT}:instance/i-1def`,
      `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/\${aws:PrincipalTag/instance}`,
    ],
  },
  iam: {
    actions: ['iam:GetUser', 'iam:CreateUser', 'iam:DeleteUser', 'iam:CreateAccessKey'],
    resources: [`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:user/bob`, `arn:aws:iam::${ACCOUNT}:user/ops/Alice`, 'arn:aws:iam::999999999999:user/alice'],
    patterns: [
      `arn:aws:iam::${ACCOUNT}:user/*`,
      `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`,
      'arn:aws:iam::*:user/ops/*',
      `arn:aws:iam::${ACCOUNT}:user/?lice`,
      'arn:aws:iam::*:*',
      `arn:aws:iam::${ACCOUNT}:user/*/\${aws:username}`,
    ],
  },
  dynamodb: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
    resources: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/app-sessions`, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/alice`],
    patterns: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/app-*`, `arn:aws:dynamodb:*:*:table/\${aws:username}`, 'arn:aws:dynamodb:*:*:table/*'],
  },
  sns: {
    actions: ['sns:Publish'],
    resources: [`arn:aws:sns:us-east-1:${ACCOUNT}:topic-a`, 'arn:aws:sns:eu-west-1:999999999999:other'],
    patterns: ['arn:aws:sns:*:*:topic-*', `arn:aws:sns:us-east-1:${ACCOUNT}:topic-a`, 'arn:aws:sns:*:*:*'],
  },
};
const SERVICE_NAMES = Object.keys(SERVICES);
const ALL_ACTIONS = SERVICE_NAMES.flatMap((s) => SERVICES[s].actions);
const ALL_RESOURCES = SERVICE_NAMES.flatMap((s) => SERVICES[s].resources);
const ALL_PATTERNS = SERVICE_NAMES.flatMap((s) => SERVICES[s].patterns);

const ACTION_PATTERNS = [
  '*',
  's3:*',
  's3:Get*',
  's3:*Object',
  's3:?utObject',
  'S3:GETOBJECT',
  'ec2:*Instances',
  'ec2:Describe*',
  'EC2:startinstances',
  'iam:*User',
  'iam:Create*',
  'iam:*AccessKey*',
  'dynamodb:*',
  'dynamodb:Get?tem',
  'sns:Publish',
  ...ALL_ACTIONS,
];

/** Context keys: name, how often present, and the values a request may carry. */
const CONTEXT: Record<string, { present: number; values: string[]; list?: boolean }> = {
  'aws:username': { present: 1, values: ['alice', 'bob', 'Alice'] },
  'aws:userid': { present: 0.7, values: ['AIDAALICE', 'AIDABOB'] },
  'aws:PrincipalTag/team': { present: 0.6, values: ['red', 'blue', 'alice'] },
  'aws:PrincipalTag/dept': { present: 0.5, values: ['hr', 'Finance', 'it'] },
  'aws:PrincipalTag/instance': { present: 0.5, values: ['i-0abc', 'i-1def'] },
  'aws:RequestTag/env': { present: 0.6, values: ['prod', 'dev', 'Prod', 'stage', 'pro*', '?rod'] },
  'aws:SourceIp': { present: 0.85, values: ['10.1.2.3', '192.0.2.44', '203.0.113.9', '2001:db8::5', '2001:db8:1::7'] },
  'aws:SecureTransport': { present: 0.8, values: ['true', 'false'] },
  'aws:MultiFactorAuthPresent': { present: 0.6, values: ['true', 'false'] },
  'aws:CurrentTime': { present: 0.7, values: ['2023-06-01T12:00:00Z', '2024-01-01T00:00:00Z', '2025-03-04T05:06:07Z', '2024-01-01T01:00:00+01:00'] },
  'aws:EpochTime': { present: 0.7, values: ['1600000000', '1704067200', '1800000000'] },
  's3:max-keys': { present: 0.6, values: ['5', '10', '100', '2.5'] },
  'aws:MultiFactorAuthAge': { present: 0.5, values: ['30', '3600', '86400'] },
  'aws:TagKeys': { present: 0.7, values: ['team', 'env', 'cost-center', 'Team'], list: true },
  'dynamodb:Attributes': { present: 0.6, values: ['ID', 'Message', 'Tags', 'UserName'], list: true },
  'aws:SourceArn': { present: 0.6, values: [`arn:aws:sns:us-east-1:${ACCOUNT}:topic-a`, 'arn:aws:sns:eu-west-1:999999999999:other', `arn:aws:iam::${ACCOUNT}:user/alice`] },
  'aws:PrincipalArn': { present: 0.8, values: [`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:user/bob`] },
  'test:blob': { present: 0.5, values: ['QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'T3RoZXJWYWx1ZQ=='] },
  'aws:TokenIssueTime': { present: 0.3, values: ['2024-01-01T00:00:00Z'] },
};
const STRING_KEYS = ['aws:username', 'aws:userid', 'aws:PrincipalTag/team', 'aws:PrincipalTag/dept', 'aws:RequestTag/env'];
const LIST_KEYS = ['aws:TagKeys', 'dynamodb:Attributes'];

// Values of string conditions. Variables that may have no value are fine for positive
// operators; negated operators only get variables that always resolve (deviation 3).
const STRING_VALUES = ['alice', 'bob', 'red', 'Alice', 'prod', 'hr', 'team', 'ID', 'Tags', 'a*', '*e*', '?lice', 'pro?', '*', 'Te*', 'pro${*}', '${?}rod'];
const RESOLVING_VARIABLES = ['${aws:username}', "${aws:PrincipalTag/team, 'red'}", "${aws:RequestTag/env, 'dev'}"];
const MAYBE_VARIABLES = ['${aws:PrincipalTag/team}', '${aws:userid}', '${aws:TagKeys}', 'x-${aws:PrincipalTag/dept}'];

const STRING_OPS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'];
const NUMERIC_OPS = ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'];
const DATE_OPS = ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'];
const ARN_OPS = ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'];
const negated = (op: string): boolean => /Not/.test(op);

// ---- generators (a small seeded PRNG: deterministic and fast) ------------------------------

/** mulberry32 */
class Rng {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** 1..max distinct elements. */
  some<T>(xs: readonly T[], max = 3): T[] {
    const n = this.int(1, Math.min(max, xs.length));
    const pool = [...xs];
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
    return out;
  }
  keyCase(key: string): string {
    return this.pick([key, key, key.toUpperCase(), key.toLowerCase()]);
  }
  withIfExists(op: string): string {
    return this.chance(0.25) ? `${op}IfExists` : op;
  }
}

const ARN_VALUES = [
  `arn:aws:sns:us-east-1:${ACCOUNT}:topic-*`,
  'arn:aws:sns:*:*:*',
  `arn:aws:iam::${ACCOUNT}:user/*`,
  'arn:aws:iam::*:user/?lice',
  'arn:aws:sns:eu-west-1:999999999999:other',
  'arn:aws:*:*:*:*',
];
// A plain address is a /32 block; iam-simulate reads a plain IPv4 address under NotIpAddress
// differently (deviation 7), so plain addresses go to IpAddress only.
// iam-simulate computes a /0 mask as `-1 << 32`, which JavaScript reads as `-1 << 0` (deviation 10): /1 instead.
const CIDRS = ['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32', '2001:db8:1::/48', '0.0.0.0/1', '128.0.0.0/1', '10.1.2.3/32'];

/** One condition: [operator, key, values]. */
function condition(rng: Rng, variables: boolean): [string, string, unknown[]] {
  const noVars = (xs: string[]) => (variables ? xs : xs.filter((x) => !x.includes('${')));
  const family = rng.pick(['string', 'string', 'string', 'string', 'set', 'set', 'set', 'list', 'numeric', 'numeric', 'date', 'date', 'bool', 'bool', 'binary', 'ip', 'ip', 'arn', 'arn', 'null']);
  switch (family) {
    case 'string': {
      const op = rng.pick(STRING_OPS);
      // Negated operators only get variables that always resolve (deviation 3); ${*} and ${?}
      // only go to StringLike/StringNotLike (deviation 11).
      const pool = [...STRING_VALUES, ...RESOLVING_VARIABLES, ...(negated(op) ? [] : MAYBE_VARIABLES)].filter((v) => op.includes('Like') || !/\$\{[*?]\}/.test(v));
      return [rng.withIfExists(op), rng.keyCase(rng.pick(STRING_KEYS)), rng.some(noVars(pool))];
    }
    case 'set': {
      const setOp = rng.pick(['ForAllValues', 'ForAnyValue']);
      const key = rng.pick([...LIST_KEYS, ...LIST_KEYS, 'aws:username']);
      const op = `${setOp}:${rng.pick(STRING_OPS)}`;
      // IfExists with ForAnyValue is deviation 4.
      return [setOp === 'ForAllValues' ? rng.withIfExists(op) : op, rng.keyCase(key), rng.some(noVars([...CONTEXT[key].values, 'T*', '*a*', 'Message', '${aws:username}']))];
    }
    case 'list':
      return [rng.pick(['StringEquals', 'StringNotEquals', 'StringLike']), rng.pick(LIST_KEYS), rng.some(['team', 'env', 'ID'])];
    case 'numeric':
      return [rng.withIfExists(rng.pick(NUMERIC_OPS)), rng.pick(['s3:max-keys', 'aws:MultiFactorAuthAge']), rng.some(['5', '10', '2.5', '100', '-1', '3600', 10])];
    case 'date':
      // Epoch values against epoch keys and ISO 8601 against ISO keys (mixing them is deviation 2).
      return rng.chance(0.5)
        ? [rng.withIfExists(rng.pick(DATE_OPS)), 'aws:CurrentTime', rng.some(['2024-01-01T00:00:00Z', '2024-01-01', '2023-12-31T23:00:00-01:00', '2025-01-01T00:00:00.000Z'])]
        : [rng.withIfExists(rng.pick(DATE_OPS)), 'aws:EpochTime', rng.some(['1704067200', '1600000000', '1750000000'])];
    case 'bool':
      return [rng.withIfExists('Bool'), rng.pick(['aws:SecureTransport', 'aws:MultiFactorAuthPresent']), rng.some(['true', 'false', 'TRUE', true, false], 2)];
    case 'binary':
      return [rng.withIfExists('BinaryEquals'), 'test:blob', rng.some(['QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QUJD'], 2)];
    case 'ip': {
      const op = rng.pick(['IpAddress', 'NotIpAddress']);
      return [rng.withIfExists(op), 'aws:SourceIp', rng.some(op === 'IpAddress' ? [...CIDRS, '203.0.113.9'] : CIDRS)];
    }
    case 'arn':
      return [rng.withIfExists(rng.pick(ARN_OPS)), rng.pick(['aws:SourceArn', 'aws:PrincipalArn']), rng.some(noVars([...ARN_VALUES, `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`]))];
    default:
      return ['Null', rng.pick(Object.keys(CONTEXT)), [rng.pick(['true', 'false', true])]];
  }
}

function statement(rng: Rng, variables: boolean, index: number): Json {
  const noVars = (xs: string[]) => (variables ? xs : xs.filter((x) => !x.includes('${')));
  const st: Json = {};
  if (rng.chance(0.5)) st['Sid'] = `S${index}x${rng.int(0, 999)}`;
  st['Effect'] = rng.chance(0.35) ? 'Deny' : 'Allow';
  const actions = rng.some(ACTION_PATTERNS, 3);
  st[rng.chance(0.2) ? 'NotAction' : 'Action'] = actions.length === 1 && rng.chance(0.5) ? actions[0] : actions;
  const r = rng.next();
  const notResource = rng.chance(0.15);
  // Under NotResource: no short ARNs (deviation 9) and only variables that always resolve (deviation 8).
  const patterns = notResource ? ALL_PATTERNS.filter((p) => p.split(':').length >= 6 && !/\$\{aws:(userid|PrincipalTag\/team|PrincipalTag\/instance)\}/.test(p)) : ALL_PATTERNS;
  const resources = r < 0.6 ? rng.some(noVars(patterns), 3) : r < 0.8 ? ['*'] : rng.some(ALL_RESOURCES, 2);
  st[notResource ? 'NotResource' : 'Resource'] = resources.length === 1 && rng.chance(0.5) ? resources[0] : resources;
  const n = rng.pick([0, 0, 1, 1, 2, 3]);
  if (n > 0) {
    const cond: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < n; i++) {
      const [op, key, values] = condition(rng, variables);
      cond[op] ??= {};
      cond[op][key] = values.length === 1 && rng.chance(0.5) ? values[0] : values;
    }
    st['Condition'] = cond;
  }
  return st;
}

function policy(rng: Rng): Case['policies'][number] {
  const v = rng.int(0, 9);
  const version = v === 0 ? '2008-10-17' : v === 1 ? undefined : '2012-10-17';
  const Statement = Array.from({ length: rng.int(1, 4) }, (_, i) => statement(rng, version === '2012-10-17', i));
  return version ? { Version: version, Statement } : { Statement };
}

function context(rng: Rng): Context {
  const ctx: Context = {};
  for (const [key, spec] of Object.entries(CONTEXT)) {
    if (!rng.chance(spec.present)) continue;
    ctx[key] = spec.list ? rng.some(spec.values, 3) : rng.pick(spec.values);
  }
  return ctx;
}

function request(rng: Rng): Case['requests'][number] {
  const svc = SERVICES[rng.pick(SERVICE_NAMES)];
  const resources = rng.chance(0.1) ? ALL_RESOURCES : svc.resources;
  return { action: rng.pick(svc.actions), resource: rng.pick(resources), context: context(rng) };
}

function generateCases(seed: number, count: number): Case[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => ({
    policies: Array.from({ length: rng.int(1, 4) }, () => policy(rng)),
    requests: [request(rng), request(rng)],
  }));
}

// ---- documented deviations of iam-simulate ----------------------------------------------

interface Deviation {
  readonly sentence: string;
  readonly page: string;
  readonly policy: { Version?: string; Statement: Json[] };
  readonly request: Case['requests'][number];
  /** The documented outcome, which the engine gives. */
  readonly documented: string;
}

const DEVIATIONS: Deviation[] = [
  {
    page: 'IAM policy elements: Variables and tags',
    sentence:
      "If you don't include the Version element and set it to an appropriate version date, variables like ${aws:username} are treated as literal strings in the policy.",
    policy: { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' }] },
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/alice/x', context: { 'aws:username': 'alice' } },
    documented: 'implicitDeny',
  },
  {
    page: 'IAM JSON policy elements: Condition operators (Date)',
    sentence: 'You must specify date/time values with one of the W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time.',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }] },
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 'aws:CurrentTime': '1700000000' } },
    documented: 'allowed',
  },
  {
    page: 'IAM policy elements: Variables and tags (Policy variables with no value)',
    sentence: 'Inverted condition operators like StringNotEquals or StringNotLike do match against a null value, as the value of the condition key they are testing against is not equal to or like the effectively null value.',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 's3:ExistingObjectTag/Team': '${aws:PrincipalTag/Team}' } } }, { Effect: 'Allow', Action: '*', Resource: '*' }] },
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 's3:ExistingObjectTag/Team': 'red' } },
    documented: 'explicitDeny',
  },
  {
    page: 'IAM JSON policy elements: Condition operators (...IfExists)',
    sentence: 'If the key is not present, evaluate the condition element as true.',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'team' } } }] },
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: {} },
    documented: 'allowed',
  },
  {
    page: 'IAM JSON policy elements: Resource (Using wildcards in resource ARNs)',
    sentence: 'If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries.',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:someservice:*:111122223333:finance/*' }] },
    request: { action: 'someservice:Read', resource: 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt', context: {} },
    documented: 'allowed',
  },
  {
    page: 'IAM JSON policy elements: Resource (Using wildcards in resource ARNs)',
    sentence: 'You can use wildcard characters (* and ?) within the individual segments of an ARN (the parts separated by colons)',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: `arn:aws:iam::${ACCOUNT}:u*/bob` }] },
    request: { action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/bob`, context: {} },
    documented: 'allowed',
  },
  {
    page: 'IAM JSON policy elements: Condition operators (IP address)',
    sentence: 'If you specify an IP address without the associated routing prefix, IAM uses the default prefix value of /32.',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.9' } } }] },
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 'aws:SourceIp': '2001:db8::5' } },
    // As with 203.0.113.9/32: an IPv6 address is outside the block.
    documented: 'allowed',
  },
  {
    page: 'IAM policy elements: Variables and tags (Policy variables with no value)',
    sentence:
      'If a variable that has no value in the authorization context is used as part of the Resource or NotResource element of a policy, the resource that includes a policy variable with no value will not match any resource.',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::${aws:PrincipalTag/team}/*' }] },
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: {} },
    // The entry matches nothing, so b/k is not among the listed resources.
    documented: 'allowed',
  },
  {
    page: 'IAM JSON policy elements: Resource (Using wildcards in resource ARNs)',
    sentence: 'If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries.',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:ec2:*' }] },
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: {} },
    // arn:aws:ec2:* covers EC2 ARNs only; iam-simulate never inverts a NotResource entry it had to pad.
    documented: 'allowed',
  },
  {
    page: 'IAM JSON policy elements: Condition operators (IP address)',
    sentence: 'The value must be in the standard CIDR format (for example, 203.0.113.0/24 or 2001:DB8:1234:5678::/64).',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }] },
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 'aws:SourceIp': '10.1.2.3' } },
    // 0.0.0.0/0 holds every IPv4 address.
    documented: 'allowed',
  },
  {
    page: 'IAM policy elements: Variables and tags (Special characters)',
    sentence: '${*} - use where you need an * (asterisk) character. ... These predefined policy variables can be used in any string where you can use regular policy variables.',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/env': 'pro${*}' } } }] },
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 'aws:RequestTag/env': 'pro*' } },
    documented: 'allowed',
  },
];

describe('documented deviations of iam-simulate (kept short; each with the AWS sentence)', () => {
  it.each(DEVIATIONS.map((d) => [`${d.page}: "${d.sentence}"`, d] as const))('%s', (_title, d) => {
    expect(engine([d.policy], d.request)).toBe(d.documented);
    expect(oracle([d.policy], d.request)).not.toBe(d.documented);
  });
});

// ---- the differential run ---------------------------------------------------------------

function features(c: Case): string[] {
  const out = new Set<string>();
  for (const p of c.policies) {
    out.add(`version:${p.Version ?? 'none'}`);
    for (const st of p.Statement) {
      out.add(`effect:${String(st['Effect'])}`);
      if ('NotAction' in st) out.add('NotAction');
      if ('NotResource' in st) out.add('NotResource');
      const text = JSON.stringify(st);
      if (text.includes('${aws:')) out.add('variable');
      if (/\$\{[^}]*, '/.test(text)) out.add('variable-default');
      if (text.includes('${*}')) out.add('variable-special');
      if (/"(Action|NotAction)":[^\]]*\?/.test(text)) out.add('action-?');
      for (const op of Object.keys((st['Condition'] as Json | undefined) ?? {})) {
        out.add(`op:${op.replace(/^For(All|Any)Values?:/, '').replace(/IfExists$/, '')}`);
        if (op.endsWith('IfExists')) out.add('IfExists');
        if (op.startsWith('ForAllValues:')) out.add('ForAllValues');
        if (op.startsWith('ForAnyValue:')) out.add('ForAnyValue');
      }
    }
    if (p.Statement.some((s) => s['Effect'] === 'Deny') && p.Statement.some((s) => s['Effect'] === 'Allow')) out.add('allow+deny mix');
  }
  return [...out];
}

describe('differential test against @cloud-copilot/iam-simulate', () => {
  it(`agrees on every decision of ${CASES} seeded random cases`, () => {
    const cases = generateCases(SEED, CASES);
    const disagreements: string[] = [];
    const seen = new Map<string, number>();
    const decisions = new Map<string, number>();
    let compared = 0;
    const dump: unknown[] = [];
    for (const c of cases) {
      for (const f of features(c)) seen.set(f, (seen.get(f) ?? 0) + 1);
      const compiled = compileAll(c.policies);
      for (const r of c.requests) {
        const ours = engine(compiled, r);
        const theirs = oracle(c.policies, r);
        compared++;
        decisions.set(ours, (decisions.get(ours) ?? 0) + 1);
        if (ours !== theirs && process.env['DIFF_DUMP']) dump.push({ request: r, policies: c.policies });
        if (ours !== theirs && disagreements.length < 5) {
          disagreements.push(JSON.stringify({ ours, theirs, request: r, policies: c.policies }));
        } else if (ours !== theirs) disagreements.push('...');
      }
    }
    // DIFF_DUMP=/path/file.json writes every disagreeing case, for debugging.
    if (process.env['DIFF_DUMP']) writeFileSync(process.env['DIFF_DUMP'], JSON.stringify(dump));
    expect(disagreements).toEqual([]);
    expect(compared).toBe(2 * CASES);
    // Every feature shows up often enough to have been compared.
    const required = [
      ...[...STRING_OPS, ...NUMERIC_OPS, ...DATE_OPS, ...ARN_OPS, 'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'Null'].map((o) => `op:${o}`),
      'IfExists',
      'ForAllValues',
      'ForAnyValue',
      'NotAction',
      'NotResource',
      'variable',
      'variable-default',
      'variable-special',
      'action-?',
      'allow+deny mix',
      'version:2008-10-17',
      'version:none',
    ];
    for (const f of required) expect([f, (seen.get(f) ?? 0) >= 50]).toEqual([f, true]);
    for (const d of ['allowed', 'explicitDeny', 'implicitDeny']) expect([d, (decisions.get(d) ?? 0) >= CASES / 10]).toEqual([d, true]);
  }, 120_000);
});
