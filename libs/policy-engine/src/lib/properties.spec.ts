/**
 * Property tests (fast-check, fixed seed): wildcard matching against a naive regular
 * expression reference, and the combining rules of the evaluation logic over generated
 * policies (deny wins, allows never override a deny, order never matters).
 */
import fc from 'fast-check';
import { CompiledPolicy, compilePolicy, createRequestContext, evaluate } from '../index';
import { ArnRule, compilePattern, matchPattern } from './pattern/pattern';

const SEED = 20240917;
const RUNS = 400;

// ---------------------------------------------------------------------------------------
// Wildcards against a regular-expression reference
// ---------------------------------------------------------------------------------------

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Reference: the documented rules written as a regular expression. In the first five ARN
 * segments `?` and a `*` not ending its segment exclude ':'; a `*` ending its segment may
 * cross colons in the Resource element; ArnLike never lets a head wildcard cross.
 */
function referenceRegex(pattern: string, arn: ArnRule, ignoreCase: boolean): RegExp {
  let out = '^';
  let colons = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const head = arn !== 'none' && colons < 5;
    if (c === '*') {
      const endsSegment = i + 1 === pattern.length || pattern[i + 1] === ':';
      out += head && !(arn === 'resource' && endsSegment) ? '[^:]*' : '[\\s\\S]*';
    } else if (c === '?') {
      out += head ? '[^:]' : '[\\s\\S]';
    } else {
      if (c === ':') colons++;
      out += escape(c);
    }
  }
  return new RegExp(out + '$', ignoreCase ? 'i' : '');
}

const alphabet = fc.constantFrom('a', 'b', 'A', ':', '/', '-', '*', '?');
const textAlphabet = fc.constantFrom('a', 'b', 'A', ':', '/', '-');
const pattern = fc.array(alphabet, { maxLength: 14 }).map((cs) => cs.join(''));
const text = fc.array(textAlphabet, { maxLength: 16 }).map((cs) => cs.join(''));
/** Texts shaped like ARNs, so that segment rules are exercised. */
const arnish = fc.tuple(fc.array(pattern, { minLength: 5, maxLength: 7 })).map(([parts]) => parts.join(':'));
const arnText = fc.array(text, { minLength: 5, maxLength: 8 }).map((parts) => parts.join(':'));

describe('wildcard matching agrees with a naive regular-expression reference', () => {
  it.each([['none'], ['resource'], ['arnLike']] as const)('ARN rule %s', (arn) => {
    fc.assert(
      fc.property(fc.oneof(pattern, arnish), fc.oneof(text, arnText), (p, t) => {
        const compiled = compilePattern(p, { wildcards: true, variables: false, arn, ignoreCase: false });
        expect(matchPattern(compiled, t)).toBe(referenceRegex(p, arn, false).test(t));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('patterns match themselves once wildcards are read literally', () => {
    fc.assert(
      fc.property(text, (t) => matchPattern(compilePattern(t, { wildcards: true, variables: false, arn: 'resource', ignoreCase: false }), t)),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('actions match without regard to case', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'B', 'c', '*', '?'), { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom('a', 'b', 'C'), { minLength: 1, maxLength: 8 }), (p, a) => {
        const policy = compilePolicy(JSON.stringify({ Statement: { Effect: 'Allow', Action: `svc:${p.join('')}`, Resource: '*' } }), { id: 'p' });
        const action = `SVC:${a.join('')}`;
        const expected = referenceRegex(`svc:${p.join('')}`, 'none', true).test(action);
        return (evaluate([policy], { action, resource: '*', context: createRequestContext({}) }).decision === 'allowed') === expected;
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Combining logic over generated policies
// ---------------------------------------------------------------------------------------

const ACTIONS = ['s3:GetObject', 's3:PutObject', 'iam:CreateUser', 'ec2:RunInstances'];
const RESOURCES = ['arn:aws:s3:::data/a.txt', 'arn:aws:s3:::logs/b.txt', 'arn:aws:iam::123456789012:user/alice', '*'];

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

const actionPattern = fc.constantFrom('*', 's3:*', 's3:Get*', 'S3:getobject', 'iam:*User', 'ec2:RunInstances', 'ec2:?unInstances');
const resourcePattern = fc.constantFrom('*', 'arn:aws:s3:::data/*', 'arn:aws:s3:::*', 'arn:aws:iam::*:user/${aws:username}', 'arn:aws:s3:::logs/?.txt');
const condition = fc.option(
  fc.constantFrom<Record<string, Record<string, string[]>>>(
    { StringEquals: { 'aws:username': ['alice'] } },
    { StringNotEquals: { 'aws:username': ['alice', 'bob'] } },
    { Bool: { 'aws:SecureTransport': ['true'] } },
    { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
    { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['team*'] } },
    { NumericLessThanIfExists: { 's3:max-keys': ['10'] } },
    { Null: { 'aws:TokenIssueTime': ['true'] } },
  ),
  { nil: undefined },
);
const statement: fc.Arbitrary<Statement> = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
    notAction: fc.boolean(),
    actions: fc.array(actionPattern, { minLength: 1, maxLength: 3 }),
    notResource: fc.boolean(),
    resources: fc.array(resourcePattern, { minLength: 1, maxLength: 2 }),
    condition,
  })
  .map((s) => {
    const st: Statement = { Effect: s.effect };
    if (s.notAction) st.NotAction = s.actions;
    else st.Action = s.actions;
    if (s.notResource) st.NotResource = s.resources;
    else st.Resource = s.resources;
    if (s.condition) st.Condition = s.condition;
    return st;
  });
const policyStatements = fc.array(statement, { minLength: 1, maxLength: 4 });
const policySet = fc.array(policyStatements, { minLength: 1, maxLength: 4 });
const request = fc.record({
  action: fc.constantFrom(...ACTIONS),
  resource: fc.constantFrom(...RESOURCES),
  context: fc.record(
    {
      'aws:username': fc.constantFrom('alice', 'bob', 'carol'),
      'aws:SecureTransport': fc.constantFrom('true', 'false'),
      'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.0.2.1'),
      'aws:TagKeys': fc.subarray(['team', 'teamA', 'env']),
      's3:max-keys': fc.constantFrom('5', '50'),
      'aws:TokenIssueTime': fc.constant('2024-01-01T00:00:00Z'),
    },
    { requiredKeys: [] },
  ),
});

const compile = (statements: Statement[], id: string): CompiledPolicy =>
  compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), { id });
type Request = typeof request extends fc.Arbitrary<infer T> ? T : never;
const decide = (policies: CompiledPolicy[], r: Request) =>
  evaluate(policies, { action: r.action, resource: r.resource, context: createRequestContext(r.context as Record<string, string | string[]>) });
const matchedSet = (d: ReturnType<typeof decide>): string[] =>
  d.matchedStatements.map((s) => `${s.policyId}:${s.effect}`).sort();

describe('combining logic (Policy evaluation logic)', () => {
  it('the decision is explicitDeny exactly when some Deny statement applies on its own, else allowed exactly when some Allow applies', () => {
    fc.assert(
      fc.property(policySet, request, (set, r) => {
        const whole = decide(set.map((st, i) => compile(st, `p${i}`)), r);
        const single = set.flatMap((sts) => sts.map((st) => ({ st, d: decide([compile([st], 'single')], r) })));
        const anyDeny = single.some((x) => x.st.Effect === 'Deny' && x.d.decision === 'explicitDeny');
        const anyAllow = single.some((x) => x.st.Effect === 'Allow' && x.d.decision === 'allowed');
        expect(whole.decision).toBe(anyDeny ? 'explicitDeny' : anyAllow ? 'allowed' : 'implicitDeny');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('adding an Allow never turns an explicit deny into an allow', () => {
    fc.assert(
      fc.property(policySet, request, fc.array(statement.map((s) => ({ ...s, Effect: 'Allow' as const })), { minLength: 1, maxLength: 3 }), (set, r, extra) => {
        const policies = set.map((st, i) => compile(st, `p${i}`));
        const before = decide(policies, r);
        fc.pre(before.decision === 'explicitDeny');
        expect(decide([...policies, compile(extra, 'extra')], r).decision).toBe('explicitDeny');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('adding a Deny never turns a deny into an allow, and adding an Allow never turns an allow into a deny', () => {
    fc.assert(
      fc.property(policySet, request, statement, (set, r, extra) => {
        const policies = set.map((st, i) => compile(st, `p${i}`));
        const before = decide(policies, r).decision;
        const after = decide([...policies, compile([extra], 'extra')], r).decision;
        if (extra.Effect === 'Deny') expect(before !== 'allowed' ? after !== 'allowed' : true).toBe(true);
        else expect(before === 'allowed' ? after === 'allowed' : true).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  const permuted = <T>(arb: fc.Arbitrary<T[]>) =>
    arb.chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length })));

  it('statement order never matters', () => {
    fc.assert(
      fc.property(permuted(policyStatements), request, ([sts, shuffled], r) => {
        const a = decide([compile(sts, 'p')], r);
        const b = decide([compile(shuffled, 'p')], r);
        expect(b.decision).toBe(a.decision);
        expect(b.matchedStatements.length).toBe(a.matchedStatements.length);
        expect([...b.missingContextKeys].sort()).toEqual([...a.missingContextKeys].sort());
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('policy order never matters', () => {
    fc.assert(
      fc.property(permuted(policySet), request, ([set, shuffled], r) => {
        const ids = new Map(set.map((p, i) => [p, `p${i}`]));
        const a = decide(set.map((st) => compile(st, ids.get(st) as string)), r);
        const b = decide(shuffled.map((st) => compile(st, ids.get(st) as string)), r);
        expect(b.decision).toBe(a.decision);
        expect(matchedSet(b)).toEqual(matchedSet(a));
        expect([...b.missingContextKeys].sort()).toEqual([...a.missingContextKeys].sort());
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
