import type { Shape } from '@iam/aws-protocol';
import { CURSOR_PARAMS, type AnyOperation } from '@iam/gateway-http';
import fc from 'fast-check';

/**
 * Inputs for fuzzing the gateway: junk and near-valid requests for one operation of the
 * operation table, through the Query API and through REST, as plain request descriptions
 * that the spec signs and sends.
 */

/** A request to sign and send: the path, query and body exactly as they go on the wire. */
export interface FuzzRequest {
  /** What kind of input this is, for failure reports (`query/near UserName: boundary 65`). */
  readonly label: string;
  readonly method: string;
  /** The path, already percent-encoded. */
  readonly path: string;
  /** Query parameters (decoded; encoded when sent). A list value repeats the parameter. */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  readonly contentType?: string;
  readonly body?: string;
  /** Every text the request carries, so that a message echoing it is not mistaken for a leak. */
  readonly sent: readonly string[];
}

/** Names and ids of the system's state that inputs refer to. */
export interface FuzzWorld {
  readonly account: string;
  /** Seeded entities that must survive the fuzzing intact: only read-only operations name them. */
  readonly protectedUsers: readonly string[];
  readonly protectedGroups: readonly string[];
  readonly protectedPolicyArns: readonly string[];
  readonly protectedInlinePolicies: readonly string[];
  readonly protectedAccessKeys: readonly string[];
  /** Seeded entities that operations which change state may change or delete. */
  readonly scratchUsers: readonly string[];
  readonly scratchGroups: readonly string[];
  readonly scratchPolicyArns: readonly string[];
  readonly scratchInlinePolicies: readonly string[];
  /** Re-read when the scratch state is restored: keys deleted by the fuzzing are made anew. */
  scratchAccessKeys: readonly string[];
  /** Real pagination markers of several list operations, by operation. */
  readonly markers: Readonly<Record<string, readonly string[]>>;
}

function allMarkers(world: FuzzWorld): string[] {
  return Object.values(world.markers).flat();
}

/** JSON texts to put in a forged marker in place of a key: U+0000 (half the time), lone surrogates, wrong types, numbers JSON cannot keep. */
const forgedLeaf = fc.oneof(
  fc.constantFrom('"\\u0000"', '"a\\u0000b"', '"\\u0000\\u0000"', '"x\\u0000"'),
  fc.constantFrom('"\\ud800"', '""', '"\'"', '"%"', `"${'x'.repeat(300)}"`, '-1', '1.5', '1e400', 'null', 'true', '{}', '[]', '[[[]]]'),
);

function leafCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + leafCount(item), 0);
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((n: number, item) => n + leafCount(item), 0);
  return 1;
}

/** The JSON text of `value` with its `target`-th leaf (in document order) replaced by `leaf`, or every leaf when `target` is -1. */
function withLeaf(value: unknown, leaf: string, target: number, counter = { n: 0 }): string {
  if (Array.isArray(value)) return `[${value.map((item) => withLeaf(item, leaf, target, counter)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${withLeaf(v, leaf, target, counter)}`).join(',')}}`;
  }
  const index = counter.n++;
  return target === -1 || index === target ? leaf : JSON.stringify(value);
}

/** Markers forged from real ones: each decoded (base64url JSON), a key replaced by something no listing ever issued, encoded again. */
function forgedMarker(world: FuzzWorld): fc.Arbitrary<string> {
  const decoded = allMarkers(world).flatMap((marker) => {
    try {
      return [JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as unknown];
    } catch {
      return [];
    }
  });
  if (decoded.length === 0) return fc.constant('e30');
  return fc
    .constantFrom(...decoded)
    .chain((value) => fc.tuple(fc.constant(value), forgedLeaf, fc.integer({ min: -1, max: Math.max(leafCount(value) - 1, 0) })))
    .map(([value, leaf, target]) => Buffer.from(withLeaf(value, leaf, target), 'utf8').toString('base64url'));
}

function ownMarkers(operation: AnyOperation, world: FuzzWorld): readonly string[] {
  return world.markers[operation.name] ?? world.markers[operation.name === 'ListGroupMembers' ? 'GetGroup' : ''] ?? [];
}

/** The names an operation may use: read-only operations see everything, others only scratch. */
interface Pools {
  users: string[];
  groups: string[];
  policyArns: string[];
  inlinePolicies: string[];
  accessKeys: string[];
}

/** Operations that only read: they may name the protected state. */
export function isReadOnly(operation: AnyOperation): boolean {
  return /^(Get|List|Simulate|GenerateCredentialReport$|Authorize$|WhoCan$)/.test(operation.name);
}

function poolsFor(world: FuzzWorld, operation: AnyOperation): Pools {
  const read = isReadOnly(operation);
  const both = (p: readonly string[], s: readonly string[]) => (read ? [...p, ...s] : [...s]);
  return {
    users: both(world.protectedUsers, world.scratchUsers),
    groups: both(world.protectedGroups, world.scratchGroups),
    policyArns: both(world.protectedPolicyArns, world.scratchPolicyArns),
    inlinePolicies: both(world.protectedInlinePolicies, world.scratchInlinePolicies),
    accessKeys: both(world.protectedAccessKeys, world.scratchAccessKeys),
  };
}

// ── Text ──────────────────────────────────────────────────────────────────

/** Characters that break names, paths, ARNs, encodings or one-line messages. */
export const NASTY_CHARS = [
  ' ', '/', '\\', '*', '?', '#', '%', '&', '=', '+', ';', ':', ',', '.', '..', '<', '>', '"', "'", '`', '$', '{', '}', '[', ']', '|', '~', '!',
  '\u0000', '\u0001', '\u0007', '\n', '\r', '\r\n', '\t', '\u000b', '\u001b', '\u007f', '\u0085', '\u00a0', '\u00ad', '\u00e9', '\u00ff', '\u0100',
  '\u200b', '\u200e', '\u200f', '\u202a', '\u202e', '\u2028', '\u2029', '\u2066', '\ufeff', '\ufffd', '\uffff',
  '\ud800', '\udfff', '\ud83d', '\ude00', '\u{1f600}', '\u{10ffff}', '\u0130', '\u0131', 'ß', 'İ', 'ﬀ', '\u0301',
] as const;

const SPECIAL_TEXT = [
  '', ' ', '  ', 'null', 'undefined', 'NaN', 'true', 'false', '0', '-1', '1.5', '1e3', '0x10', '[]', '{}', '[object Object]',
  '9'.repeat(20), '-' + '9'.repeat(20), '%', '%%', '%00', '%ZZ', '${aws:username}', '${', "'; DROP TABLE users; --", '" OR 1=1 --',
  '<script>alert(1)</script>', '../../etc/passwd', '\u0000', 'a\u0000b', 'a\nb', '\r\n', '\ud800', 'a\udfffb', '\u202eevil', 'é', '😀'.repeat(3),
  'AKIAIOSFODNN7EXAMPLE', 'arn:aws:iam::123456789012:root', 'arn:aws:iam::aws:policy/AdministratorAccess', '*', '?', '/', '//',
] as const;

/** Lengths around AWS's limits (names 64/128, paths and markers 320/512, ARNs 2048, documents 131072), and far beyond. */
const HUGE_LENGTHS = [63, 64, 65, 127, 128, 129, 320, 321, 512, 513, 1000, 1001, 2048, 2049, 4097, 131072, 131073, 300_000] as const;

const nastyChar = fc.constantFrom(...NASTY_CHARS);

/** Any text: random strings of every kind of code unit, the special values, nasty characters, huge strings. */
export function junkText(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
    { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_TEXT) },
    { weight: 2, arbitrary: fc.array(fc.oneof(nastyChar, fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: hugeText() },
  );
}

/** A long string of one repeated unit around AWS's limits. */
export function hugeText(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...HUGE_LENGTHS), fc.constantFrom('a', 'A', '/', 'é', '\u0000', '😀', '%', ' '))
    .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
}

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** A valid name that names nothing yet. */
const freshName = (prefix: string) => hex(8).map((h) => `${prefix}-${h}`);

function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}

// ── Policy documents ─────────────────────────────────────────────────────

const ACTIONS = ['iam:GetUser', 'iam:List*', 's3:GetObject', 'ec2:*', '*', 'myapp:ReadReport'] as const;

function resources(account: string): string[] {
  return ['*', 'arn:aws:s3:::bucket/*', `arn:aws:iam::${account}:user/*`, `arn:aws:iam::${account}:user/\${aws:username}`];
}

const VALID_CONDITIONS = [
  { StringEquals: { 'aws:username': 'fz-alice' } },
  { StringLike: { 's3:prefix': ['home/*', 'public/*'] } },
  { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } },
  { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
  { NumericLessThanEquals: { 's3:max-keys': '10' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } },
  { StringEqualsIfExists: { 'aws:RequestTag/team': 'blue' } },
  { Null: { 'aws:TokenIssueTime': 'true' } },
] as const;

/** A small valid identity policy document, as an object. */
export function validPolicy(account: string): fc.Arbitrary<Record<string, unknown>> {
  const statement = fc.record(
    {
      Sid: fc.constantFrom('A', 'Stmt', 'ReadOnly'),
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.oneof(fc.constantFrom(...ACTIONS), fc.uniqueArray(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 })),
      Resource: fc.oneof(fc.constantFrom(...resources(account)), fc.uniqueArray(fc.constantFrom(...resources(account)), { minLength: 1, maxLength: 2 })),
      Condition: fc.constantFrom(...VALID_CONDITIONS),
    },
    { requiredKeys: ['Effect', 'Action', 'Resource'] },
  );
  // Sids are unique within a policy.
  const statements = fc.array(statement, { minLength: 1, maxLength: 3 }).map((list) => list.map((st, i) => (st.Sid ? { ...st, Sid: `${st.Sid}${i}` } : st)));
  return fc.record({ Version: fc.constant('2012-10-17'), Statement: statements });
}

const BASE_STATEMENT = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
const doc = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const withCondition = (condition: unknown) => doc({ ...BASE_STATEMENT, Condition: condition });

function nested(depth: number, open: string, close: string, inner = '1'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** Policy documents that are wrong in every way a client can get one wrong. */
export function badPolicyDocument(account: string): fc.Arbitrary<string> {
  const malformedJson = fc.constantFrom(
    '', ' ', '{', '}', '{"Version":', '{"Statement":[}', "{'Version':'2012-10-17'}", 'null', '[]', '"text"', '1', 'true', '{}',
    `${doc(BASE_STATEMENT)} trailing`, `\ufeff${doc(BASE_STATEMENT)}`, `/* comment */ ${doc(BASE_STATEMENT)}`,
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",}]}',
    '{"Version":"2012-10-17","Version":"2008-10-17","Statement":[]}', '{"Statement":NaN}', '{"Statement":[{"Effect":"Allow"\u0000}]}',
    '{"Statement":"\\ud800"}', '{"Statement":[{"Effect":"\\u0000"}]}', '{"a":"\\u', '\u0000', 'a\nb',
  );
  const deep = fc.constantFrom(100, 1000, 5000, 30_000).chain((depth) =>
    fc.constantFrom(
      nested(depth, '[', ']'),
      nested(depth, '{"a":', '}'),
      `{"Version":"2012-10-17","Statement":${nested(depth, '[', ']', JSON.stringify(BASE_STATEMENT))}}`,
      withCondition({ StringEquals: { 'aws:username': JSON.parse(nested(Math.min(depth, 2000), '[', ']', '"x"')) } }).slice(0, 131_072),
      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":${nested(depth, '{"StringEquals":', '}', '{"k":"v"}')}}]}`,
    ),
  );
  const huge = fc.constantFrom(131_072, 131_073, 200_000).chain((size) =>
    fc.constantFrom(
      (doc(BASE_STATEMENT) + ' '.repeat(size)).slice(0, Math.max(size, doc(BASE_STATEMENT).length)),
      doc(...Array.from({ length: Math.ceil(size / 60) }, (_, i) => ({ ...BASE_STATEMENT, Sid: `S${i}` }))),
      doc({ ...BASE_STATEMENT, Action: Array.from({ length: Math.ceil(size / 16) }, (_, i) => `s3:Get${i}`) }),
      doc({ ...BASE_STATEMENT, Resource: `arn:aws:s3:::${'b'.repeat(size)}` }),
    ),
  );
  const badContent = fc.constantFrom(
    // Structure.
    JSON.stringify({ Version: '2012-10-17' }),
    JSON.stringify({ Version: '2099-01-01', Statement: [BASE_STATEMENT] }),
    JSON.stringify({ Version: 20121017, Statement: [BASE_STATEMENT] }),
    JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    JSON.stringify({ Version: '2012-10-17', Statement: {} }),
    JSON.stringify({ Version: '2012-10-17', Statement: 'Allow everything' }),
    JSON.stringify({ Version: '2012-10-17', Statement: [null, 1, 'x', []] }),
    JSON.stringify({ Version: '2012-10-17', Statement: [BASE_STATEMENT], Id: { nested: true }, Extra: 1 }),
    doc({ ...BASE_STATEMENT, Effect: 'Maybe' }),
    doc({ ...BASE_STATEMENT, Effect: null }),
    doc({ Effect: 'Allow', Resource: '*' }),
    doc({ Effect: 'Allow', Action: 's3:*' }),
    doc({ ...BASE_STATEMENT, NotAction: 's3:PutObject' }),
    doc({ ...BASE_STATEMENT, NotResource: '*' }),
    doc({ ...BASE_STATEMENT, Principal: '*' }),
    doc({ ...BASE_STATEMENT, Principal: { AWS: 'arn:aws:iam::123456789012:root' } }),
    doc({ ...BASE_STATEMENT, Sid: 'has spaces and ünïcode' }),
    doc({ ...BASE_STATEMENT, Sid: 'Same' }, { ...BASE_STATEMENT, Sid: 'Same' }),
    doc({ ...BASE_STATEMENT, Sid: { a: 1 } }),
    doc({ ...BASE_STATEMENT, Bogus: 'key' }),
    // Actions.
    ...['iam', 'iam:', ':GetUser', '**', 'iam:Get User', 'iam:Get\u0000User', 'iam:Gét', '', 'a:b:c', 'iam:*:*', 'ïam:x'].map((a) => doc({ ...BASE_STATEMENT, Action: a })),
    doc({ ...BASE_STATEMENT, Action: [] }),
    doc({ ...BASE_STATEMENT, Action: 123 }),
    doc({ ...BASE_STATEMENT, Action: { a: 'b' } }),
    doc({ ...BASE_STATEMENT, Action: [['s3:*']] }),
    doc({ ...BASE_STATEMENT, Action: [null] }),
    // Resources and ARNs.
    ...['arn', 'arn:', 'arn:aws', 'arn:aws:s3', ':::::', 'arn:aws:iam::123:user/x', 'arn:aws:iam::123456789012', 'not-an-arn', '', 'arn:aws:iam::*:*', `arn:aws:iam::${account}:user/\${aws:username`, `arn:aws:iam::${account}:user/\${}`, `arn:aws:iam::${account}:user/\${bogus:key}`, `arn:aws:iam::${account}:user/\${*}`, `arn:aws:iam::${account}:user/\${aws:username}}`, 'arn:aws:s3:::\u202ebucket'].map((r) =>
      doc({ ...BASE_STATEMENT, Resource: r }),
    ),
    doc({ ...BASE_STATEMENT, Resource: [] }),
    doc({ ...BASE_STATEMENT, Resource: [1, true] }),
    // Conditions: unknown operators, bad values, bad keys.
    ...[
      { StringEqualz: { 'aws:username': 'x' } },
      { 'ForAllValues:Bogus': { 'aws:TagKeys': ['a'] } },
      { 'ForAnyValue:': { 'aws:TagKeys': ['a'] } },
      { IfExists: { 'aws:username': 'x' } },
      { StringEqualsIfExistsIfExists: { 'aws:username': 'x' } },
      { NumericLessThan: { 's3:max-keys': 'abc' } },
      { NumericEquals: { 's3:max-keys': '1e400' } },
      { NumericEquals: { 's3:max-keys': ['1', 'NaN', 'Infinity'] } },
      { DateGreaterThan: { 'aws:CurrentTime': 'yesterday' } },
      { DateLessThan: { 'aws:CurrentTime': '2020-13-45T99:99:99Z' } },
      { DateEquals: { 'aws:CurrentTime': '99999999999999999999' } },
      { DateEquals: { 'aws:CurrentTime': '-271821-04-20T00:00:00Z' } },
      { IpAddress: { 'aws:SourceIp': '300.1.1.1/8' } },
      { IpAddress: { 'aws:SourceIp': '1.2.3.4/33' } },
      { IpAddress: { 'aws:SourceIp': '::1/129' } },
      { IpAddress: { 'aws:SourceIp': 'garbage' } },
      { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '', '1.2.3.4/-1', '1:2:3:4:5:6:7:8:9/64', '1.2.3.4/08'] } },
      { Bool: { 'aws:SecureTransport': 'maybe' } },
      { BinaryEquals: { 'aws:x': '!!!not base64' } },
      { ArnLike: { 'aws:SourceArn': 'arn:*:*' } },
      { ArnEquals: { 'aws:SourceArn': 'not an arn' } },
      { Null: { 'aws:TokenIssueTime': 'perhaps' } },
      { StringEquals: { '': 'x' } },
      { StringEquals: { 'bad key with spaces': 'x' } },
      { StringEquals: { 'aws:username': { nested: 'object' } } },
      { StringEquals: { 'aws:username': [] } },
      { StringEquals: { 'aws:username': null } },
      { StringEquals: { 'aws:username': 12 } },
      { StringEquals: 'not an object' },
      { StringEquals: {} },
      { StringLike: { 'aws:username': '${aws:username' } },
      'not an object',
      [],
      { '': {} },
      JSON.parse('{"__proto__":{"StringEquals":{"aws:username":"x"}}}'),
      { constructor: { prototype: 'x' } },
    ].map(withCondition),
    // Unicode and escapes inside strings.
    doc({ ...BASE_STATEMENT, Sid: '\u0000' }),
    doc({ ...BASE_STATEMENT, Resource: 'arn:aws:s3:::a\u0000b' }),
    doc({ ...BASE_STATEMENT, Resource: 'arn:aws:s3:::\ud800' }),
    doc({ ...BASE_STATEMENT, Action: 's3:\u202eGet' }),
  );
  return fc.oneof(
    { weight: 3, arbitrary: malformedJson },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: huge },
    { weight: 6, arbitrary: badContent },
    { weight: 1, arbitrary: junkText(200) },
  );
}

// ── Valid values, by member ──────────────────────────────────────────────

type Arb = fc.Arbitrary<unknown>;

/** A valid value for `name` (an input member) of `operation`, drawn from the world's state where it names something. */
function validMember(operation: AnyOperation, name: string, shape: Shape, world: FuzzWorld): Arb {
  const pools = poolsFor(world, operation);
  const account = world.account;
  const creates = operation.name.startsWith('Create');
  const existingOr = (pool: string[], prefix: string) =>
    pool.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: freshName(prefix) }) : freshName(prefix);
  const userArns = [...pools.users, ...world.protectedUsers].map((u) => `arn:aws:iam::${account}:user/${u}`);
  switch (name) {
    case 'UserName':
      return creates && operation.name === 'CreateUser' ? freshName('fz-new') : existingOr(pools.users, 'nx-user');
    case 'NewUserName':
      return freshName('fz-renamed');
    case 'GroupName':
      return operation.name === 'CreateGroup' ? freshName('fz-newgroup') : existingOr(pools.groups, 'nx-group');
    case 'NewGroupName':
      return freshName('fz-renamedgroup');
    case 'PolicyName':
      return operation.name === 'CreatePolicy' ? freshName('fz-newpolicy') : existingOr(pools.inlinePolicies, 'nx-inline');
    case 'PolicyArn':
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...pools.policyArns) },
        { weight: 1, arbitrary: freshName('nx-policy').map((n) => `arn:aws:iam::${account}:policy/${n}`) },
        { weight: 1, arbitrary: fc.constant('arn:aws:iam::aws:policy/ReadOnlyAccess') },
      );
    case 'PolicySourceArn':
      return fc.constantFrom(...userArns, ...[...pools.groups, ...world.protectedGroups].map((g) => `arn:aws:iam::${account}:group/${g}`));
    case 'Principal':
      return fc.constantFrom(...userArns, ...pools.users, `arn:aws:iam::${account}:root`);
    case 'AccessKeyId':
      return pools.accessKeys.length > 0 ? fc.constantFrom(...pools.accessKeys) : fc.constant('AKIAFUZZFUZZFUZZFUZZ');
    case 'Path':
    case 'NewPath':
      return fc.constantFrom('/', '/fuzz/', '/a/b/c/');
    case 'PathPrefix':
      return fc.constantFrom('/', '/fuzz/');
    case 'PolicyDocument':
      return validPolicy(account).map((d) => JSON.stringify(d));
    case 'PolicyInputList':
    case 'PermissionsBoundaryPolicyInputList':
      return fc.array(validPolicy(account).map((d) => JSON.stringify(d)), { minLength: 1, maxLength: 2 });
    case 'Tags':
      return fc.uniqueArray(fc.record({ Key: fc.constantFrom('team', 'env', 'owner', 'k:1'), Value: fc.constantFrom('blue', '', 'prod', 'a b') }), {
        minLength: 1,
        maxLength: 3,
        selector: (t) => t.Key,
      });
    case 'TagKeys':
      return fc.uniqueArray(fc.constantFrom('team', 'env', 'owner'), { minLength: 1, maxLength: 3 });
    case 'Marker':
      // A marker of this operation (from another call, so it may still be refused); see validInput.
      return fc.constantFrom(...ownMarkers(operation, world), 'fuzz');
    case 'MaxItems':
      return fc.constantFrom(1, 2, 100, 1000);
    case 'Password':
    case 'OldPassword':
    case 'NewPassword':
      return hex(8).map((h) => `Fz-${h}-Passw0rd!`);
    case 'VersionId':
      return fc.constantFrom('v1', 'v2', 'v3', 'v5');
    case 'Description':
      return fc.constantFrom('', 'A policy.', 'Fuzz policy é');
    case 'ActionNames':
      return fc.uniqueArray(fc.constantFrom('iam:GetUser', 's3:GetObject', 'iam:CreateUser', 'ec2:RunInstances'), { minLength: 1, maxLength: 3 });
    case 'ResourceArns':
      return fc.uniqueArray(fc.constantFrom('*', 'arn:aws:s3:::bucket/key', ...userArns.slice(0, 2)), { minLength: 1, maxLength: 2 });
    case 'ContextEntries':
      return fc.array(
        fc.constantFrom(
          { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1'], ContextKeyType: 'ip' },
          { ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2030-01-01T00:00:00Z'], ContextKeyType: 'date' },
          { ContextKeyName: 'aws:TagKeys', ContextKeyValues: ['team', 'env'], ContextKeyType: 'stringList' },
          { ContextKeyName: 's3:max-keys', ContextKeyValues: ['5'], ContextKeyType: 'numeric' },
          { ContextKeyName: 'aws:SecureTransport', ContextKeyValues: ['true'], ContextKeyType: 'boolean' },
        ),
        { maxLength: 3 },
      );
    case 'Action':
    case 'ActionName':
      return fc.constantFrom('iam:GetUser', 's3:GetObject', 'myapp:ReadReport');
    case 'Resource':
    case 'ResourceArn':
      return fc.constantFrom('*', 'arn:aws:s3:::bucket/key', ...userArns.slice(0, 1));
    case 'Root':
      return fc.boolean();
    default:
      return validOfShape(shape);
  }
}

/** A valid value of a shape with no meaning attached (enums, booleans, numbers in range). */
function validOfShape(shape: Shape): Arb {
  switch (shape.type) {
    case 'string':
      if (shape.enum) return fc.constantFrom(...shape.enum);
      return fc.string({ unit: fc.constantFrom(...'abcdefxyz0123'), minLength: Math.max(shape.min ?? 1, 1), maxLength: Math.min(shape.max ?? 12, 12) });
    case 'integer':
      return fc.integer({ min: shape.min ?? 0, max: Math.min(shape.max ?? 100, 2 ** 31 - 1) });
    case 'boolean':
      return fc.boolean();
    case 'timestamp':
      return fc.constant('2030-01-01T00:00:00Z');
    case 'list':
      return fc.array(validOfShape(shape.member), { minLength: shape.min ?? 0, maxLength: Math.min(shape.max ?? 3, 3) });
    case 'map':
      return fc.constant({});
    case 'structure':
      return fc.record(Object.fromEntries(Object.entries(shape.members).map(([k, m]) => [k, validOfShape(m)])));
  }
}

/** A valid input of an operation: every required member, and each optional one half the time. */
export function validInput(operation: AnyOperation, world: FuzzWorld): fc.Arbitrary<Record<string, unknown>> {
  const members = operation.input.members;
  const arbs: Record<string, Arb> = {};
  const required: string[] = [];
  for (const [name, shape] of Object.entries(members)) {
    // Without a marker of its own, a valid input starts at the first page.
    if (name === 'Marker' && ownMarkers(operation, world).length === 0) continue;
    arbs[name] = validMember(operation, name, shape, world);
    if (shape.required) required.push(name);
  }
  let input = fc.record(arbs, { requiredKeys: required });
  if (operation.name === 'CreateSession') {
    // Exactly one of UserName and Root: true.
    input = input.map((i) => (i['Root'] === true ? { Root: true, Password: i['Password'] } : { UserName: i['UserName'] ?? 'nx-user', Password: i['Password'] }));
  }
  return input as fc.Arbitrary<Record<string, unknown>>;
}

// ── Mutations ────────────────────────────────────────────────────────────

/** Marks a member removed by a mutation. */
export const ABSENT = Symbol('absent');

const QUERY_WRONG_TYPES = ['', ' ', 'true', 'TRUE', 'yes', '1', '0', '-1', '1.5', '1e3', '0x10', 'null', 'undefined', '[object Object]', '9'.repeat(20), 'NaN', 'Infinity', '[]', '{}'];
const JSON_WRONG_TYPES: unknown[] = [null, 0, -1, 1.5, 2 ** 53 + 1, 1e308, true, false, [], {}, [1, 'a'], { a: { b: 1 } }, 'text', '', [[[]]], [null]];
const MAX_ITEMS = [0, 1, 1000, 1001, -1, 'abc', '1.0', '01', ' 1', '+1', '1e2', 2 ** 31, 2 ** 53, '', null];

/** A string of exactly `length` that is otherwise as valid as it can be for the member. */
function ofLength(name: string, length: number, account: string): string {
  if (length <= 0) return '';
  const pad = (prefix: string, fill: string, suffix = '') =>
    prefix.length + suffix.length >= length ? (prefix + suffix).slice(0, length) : prefix + fill.repeat(length - prefix.length - suffix.length) + suffix;
  if (/Path/.test(name)) return length === 1 ? '/' : pad('/', 'a', '/');
  if (/Arn$|^Principal$|^Resource$/.test(name)) return pad(`arn:aws:iam::${account}:policy/`, 'a');
  if (name === 'AccessKeyId') return pad('AKIA', 'A');
  if (name === 'VersionId') return pad('v1', '0');
  if (/PolicyDocument|PolicyInputList/.test(name)) {
    const body = doc(BASE_STATEMENT);
    return body.length >= length ? body.slice(0, length) : body + ' '.repeat(length - body.length);
  }
  if (/Action/.test(name)) return pad('iam:', 'a');
  return 'a'.repeat(length);
}

function boundaryLengths(shape: Shape): number[] {
  if (shape.type !== 'string') return [0, 1];
  const lengths = new Set<number>([0, 1]);
  if (shape.min !== undefined) [shape.min - 1, shape.min].forEach((n) => n >= 0 && lengths.add(n));
  if (shape.max !== undefined) [shape.max, shape.max + 1].forEach((n) => lengths.add(n));
  else [128, 129, 2049].forEach((n) => lengths.add(n));
  return [...lengths];
}

function nameMutations(name: string, base: unknown, world: FuzzWorld, pools: Pools): Arb[] {
  const text = typeof base === 'string' ? base : '';
  const out: Arb[] = [];
  if (/UserName|GroupName|PolicyName/.test(name)) {
    const known = [...pools.users, ...pools.groups, ...pools.inlinePolicies, 'nobody'];
    out.push(
      fc.constant(swapCase(text)),
      fc.constant(text.toUpperCase()),
      freshName('nx'),
      fc.constantFrom(...known).map(swapCase),
      fc.constant(`${text} `),
      fc.constant(text.normalize('NFD')),
    );
  }
  if (/Arn$/.test(name)) {
    const a = world.account;
    out.push(
      fc.constantFrom(
        `arn:aws:iam::${a}:policy/`,
        `arn:aws:iam::${a}:policy/nope`,
        'arn:aws:iam::aws:policy/DoesNotExist',
        'arn:aws:iam::999999999999:policy/x',
        `arn:aws:iam::${a}:user/fz-alice`,
        `arn:aws:iam::${a}:group/fz-admins`,
        `arn:aws:iam::${a}:policy/*`,
        `arn:aws:iam::${a}:policy/a//b`,
        `arn:aws:iam::${a}:policy/../nope`,
        'arn:aws:s3:::bucket-name-here',
        'not-an-arn-but-long-enough',
        `arn:aws:iam::${a}:root`,
        `arn:aws-cn:iam::${a}:policy/x`,
        `arn:aws:iam::${a}:policy/${'x'.repeat(2000)}`,
      ),
      ...(pools.policyArns.length > 0 ? [fc.constantFrom(...pools.policyArns).map((arn) => arn.toUpperCase())] : []),
      fc.constant(swapCase(text)),
      fc.constant(text.replace(/:\d{12}:/, ':000000000000:')),
    );
  }
  if (name === 'AccessKeyId') {
    out.push(fc.constantFrom('AKIA' + 'Z'.repeat(16), 'ASIA' + 'Z'.repeat(16), text.toLowerCase(), `${text}A`, text.slice(0, 16), '0'.repeat(16)));
  }
  if (name === 'Marker') {
    const other = fc.oneof(
      fc.constantFrom(...allMarkers(world), 'x'),
      fc.constantFrom('x', '0', '-1', 'null', '=', '====', 'eyJ9', 'eyJvZmZzZXQiOi0xfQ', 'eyJvZmZzZXQiOjEwMDAwMDAwMDAwMDAwMDAwMDB9', Buffer.from('{"o":"x"}').toString('base64'), 'a'.repeat(320), 'a'.repeat(321), 'ÿ'.repeat(320)),
      fc.base64String({ minLength: 4, maxLength: 80 }),
      fc.constantFrom(text.slice(0, -1), `${text}A`, swapCase(text)),
    );
    out.push(fc.oneof({ weight: 3, arbitrary: forgedMarker(world) }, { weight: 1, arbitrary: other }));
  }
  if (name === 'MaxItems') out.push(fc.constantFrom(...MAX_ITEMS));
  if (name === 'VersionId') out.push(fc.constantFrom('v0', 'v6', 'v99999999999999999999', 'V1', 'v1.', 'v1.x-y', 'v-1', '1', 'v', 'v01'));
  if (/Path/.test(name)) out.push(fc.constantFrom('', 'no-slash', '/a', 'a/', '//', '/a//b/', '/ /', '/\u007f/', '/é/', '/a/../', '/*/'));
  return out;
}

/**
 * One field of a value changed: removed, at a boundary length, with a nasty character, of a
 * wrong type (generic changes), or wrong in a way that matters for this member (names of
 * things that do not exist or differ in case, bad ARNs, forged markers, bad policy documents,
 * free text a database chokes on), or one item or member inside it changed. The member's own
 * changes weigh as much as all the generic ones.
 */
function mutateValue(name: string, shape: Shape, base: unknown, world: FuzzWorld, pools: Pools, json: boolean, depth = 0): Arb {
  const generic: Arb[] = [
    fc.constant(ABSENT),
    fc.constantFrom(...boundaryLengths(shape)).map((n) => ofLength(name, n, world.account)),
    json ? fc.constantFrom(...JSON_WRONG_TYPES) : fc.constantFrom(...QUERY_WRONG_TYPES),
    junkText(),
  ];
  if (typeof base === 'string') {
    generic.push(
      fc.tuple(fc.nat({ max: base.length }), nastyChar).map(([at, c]) => base.slice(0, at) + c + base.slice(at)),
      fc.tuple(fc.nat({ max: Math.max(base.length - 1, 0) }), nastyChar).map(([at, c]) => base.slice(0, at) + c + base.slice(at + 1)),
    );
  }
  const specific: Arb[] = [...nameMutations(name, base, world, pools)];
  if (shape.type === 'string' && shape.pattern === undefined && shape.enum === undefined) {
    // Free text: what a database or a log line chokes on.
    specific.push(fc.constantFrom('\u0000', 'a\u0000b', `${typeof base === 'string' ? base : 'x'}\u0000`, '\ud800', 'line\nbreak', '\u202e', '\u001b[31m'));
  }
  if (/PolicyDocument|PolicyInputList/.test(name) && shape.type === 'string') specific.push(badPolicyDocument(world.account));
  const inner: Arb[] = [];
  if (shape.type === 'list' && depth < 2) {
    const items = Array.isArray(base) ? base : [];
    inner.push(
      fc.constant([]),
      fc.constant([...items, ...items]),
      fc.constant(Array.from({ length: (shape.max ?? 50) + 1 }, (_, i) => items[i % Math.max(items.length, 1)] ?? `item${i}`)),
      fc.array(junkText(20), { maxLength: 4 }),
    );
    if (items.length > 0) {
      inner.push(
        fc.nat({ max: items.length - 1 }).chain((i) =>
          mutateValue(name, shape.member, items[i], world, pools, json, depth + 1).map((item) =>
            item === ABSENT ? items.filter((_, j) => j !== i) : items.map((x, j) => (j === i ? item : x)),
          ),
        ),
      );
    }
  }
  if (shape.type === 'structure' && depth < 2 && base && typeof base === 'object') {
    const record = base as Record<string, unknown>;
    const members = Object.keys(shape.members);
    inner.push(
      fc.constantFrom(...members).chain((m) =>
        mutateValue(m, shape.members[m], record[m], world, pools, json, depth + 1).map((item) => {
          const copy = { ...record };
          if (item === ABSENT) delete copy[m];
          else copy[m] = item;
          return copy;
        }),
      ),
      fc.constant({ ...record, Unexpected: 'member' }),
    );
  }
  const groups: Array<fc.WeightedArbitrary<unknown>> = [{ weight: 1, arbitrary: fc.oneof(...generic) }];
  if (specific.length > 0) groups.push({ weight: 1, arbitrary: fc.oneof(...specific) });
  if (inner.length > 0) groups.push({ weight: 1, arbitrary: fc.oneof(...inner) });
  return fc.oneof(...groups);
}

/** A valid input of the operation with one member (or one nested field) mutated, or one unknown member added. */
export function nearValidInput(operation: AnyOperation, world: FuzzWorld, json: boolean): fc.Arbitrary<{ input: Record<string, unknown>; change: string }> {
  const members = Object.keys(operation.input.members);
  const pools = poolsFor(world, operation);
  return validInput(operation, world).chain((valid) => {
    const extra = fc
      .tuple(fc.oneof(fc.constantFrom('Extra', 'userName', 'USERNAME', 'Marker.member.1', 'PermissionsBoundary', 'Action', 'Version', '__proto__', 'constructor'), junkText(12)), junkText(20))
      .map(([key, value]) => ({ input: { ...valid, [key]: value }, change: `unknown member ${JSON.stringify(key).slice(0, 40)}` }));
    if (members.length === 0) return extra;
    // Documents and markers reach furthest (the policy engine, the databases): they are changed more often.
    const mutated = fc.oneof(
      ...members.map((name) => ({
        weight: /PolicyDocument|PolicyInputList|Marker/.test(name) ? 3 : 1,
        arbitrary: mutateValue(name, operation.input.members[name], valid[name], world, pools, json).map((value) => {
          const input = { ...valid };
          if (value === ABSENT) delete input[name];
          else input[name] = value;
          return { input, change: `${name}: ${value === ABSENT ? 'removed' : shown(value)}` };
        }),
      })),
    );
    return fc.oneof({ weight: 6, arbitrary: mutated }, { weight: 1, arbitrary: extra });
  });
}

/** A short description of a value for labels. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}… (${text.length} chars)` : text);
}

// ── Encoding: Query ──────────────────────────────────────────────────────

/** RFC 3986 percent-encoding of the UTF-8 bytes of text (lone surrogates become U+FFFD, as any encoder sends them). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** An input as flat Query parameters: lists as `Name.member.N`, structures as `Name.Member`, other values as text. */
export function flattenQuery(value: unknown, prefix: string): Array<[string, string]> {
  if (Array.isArray(value)) {
    if (value.length === 0) return [[prefix, '']];
    return value.flatMap((item, i) => flattenQuery(item, `${prefix}.member.${i + 1}`));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flattenQuery(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, value === undefined ? '' : String(value)]];
}

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

function queryRequest(operation: AnyOperation, pairs: Array<[string, string]>, label: string, options: { contentType?: string; raw?: string; version?: string } = {}): FuzzRequest {
  const envelope: Array<[string, string]> = [['Action', operation.name], ['Version', options.version ?? '2010-05-08']];
  const encode = (list: Array<[string, string]>) => list.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  const contentType = options.contentType ?? FORM;
  const form = contentType === FORM;
  // A body in another format carries no parameters: the action goes in the URL.
  const body = (form ? encode([...envelope, ...pairs]) : encode(pairs)) + (options.raw ?? '');
  const query = form ? {} : Object.fromEntries(envelope);
  const sent = [...pairs.flat(), options.raw ?? ''];
  return { label, method: 'POST', path: '/', query, contentType, body, sent };
}

/** Junk through the Query API: random parameter names and values, badly numbered lists, repeated keys, raw bad escapes, other content types. */
export function queryJunk(operation: AnyOperation): fc.Arbitrary<FuzzRequest> {
  const members = Object.keys(operation.input.members);
  const memberName = members.length > 0 ? fc.constantFrom(...members) : fc.constant('UserName');
  const index = fc.constantFrom('0', '-1', '1', '2', '3', '01', '999999999', '1000000000', '99999999999999999999', 'x', '', '1.5', ' 1');
  const name = fc.oneof(
    { weight: 4, arbitrary: memberName },
    { weight: 2, arbitrary: junkText(20) },
    { weight: 3, arbitrary: fc.tuple(memberName, index).map(([m, n]) => `${m}.member.${n}`) },
    { weight: 1, arbitrary: fc.tuple(memberName, index, fc.constantFrom('Key', 'Value', 'x', '', 'member.1', 'ContextKeyValues.member.1')).map(([m, n, s]) => `${m}.member.${n}.${s}`) },
    { weight: 1, arbitrary: fc.tuple(memberName, fc.constantFrom('.entry.1.key', '.entry.1.value', '.1', '..', '.', '.member', '.Key', '.a.b.c.d.e.f')).map(([m, s]) => `${m}${s}`) },
    { weight: 1, arbitrary: fc.constantFrom('Action', 'Version', 'X-Amz-Signature', 'x-amz-date', '') },
  );
  const pairs = fc.array(fc.tuple(name, junkText()), { maxLength: 8 });
  const raw = fc.constantFrom('', '', '', '&', '&&', '&=', '&=x', '&UserName', '&%', '&a=%', '&a=%Z', '&%ZZ=1', '&a=%ED%A0%80', '&a=%FF%FE', '&a=%C0%AF', '&%00=%00', '&Action=Other', '&a=b=c');
  const contentType = fc.constantFrom(FORM, FORM, FORM, 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=latin1', 'text/plain', 'application/json', 'multipart/form-data; boundary=x');
  const version = fc.constantFrom('2010-05-08', '2010-05-08', '2010-05-08', '2010-05-09', '', 'latest');
  return fc.record({ pairs, raw, contentType, version, duplicate: fc.boolean() }).map(({ pairs, raw, contentType, version, duplicate }) => {
    const all = duplicate && pairs.length > 0 ? [...pairs, pairs[0]] : pairs;
    const label = `query/junk ${shown(all.map(([k, v]) => `${k}=${v}`).join('&'))}${raw ? ` raw ${raw}` : ''} (${contentType}, Version ${version})`;
    return queryRequest(operation, all, label, { contentType, raw, version });
  });
}

/** Near-valid input through the Query API: `POST /` with a form body, now and then `GET /` with the parameters in the URL. */
export function queryNear(operation: AnyOperation, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(nearValidInput(operation, world, false), fc.nat({ max: 7 })).map(([{ input, change }, dice]) => {
    const pairs = flattenQuery(input, '');
    if (dice > 0) return queryRequest(operation, pairs, `query/near ${change}`);
    const query: Record<string, string> = Object.create(null);
    for (const [k, v] of [['Action', operation.name], ['Version', '2010-05-08'], ...pairs]) setUrlParam(query, k, v);
    return { label: `query/near GET ${change}`, method: 'GET', path: '/', query, sent: pairs.flat() };
  });
}

// ── Encoding: REST ───────────────────────────────────────────────────────

/** Text with lone surrogates replaced, as an HTTP client must send it in a URL. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Sets a URL query parameter as an HTTP client can send it (lone surrogates replaced). A
 * parameter named `__proto__` is left out: the official signer drops it from what it signs (it
 * goes in bodies, where it is signed like any other text).
 */
function setUrlParam(query: Record<string, string>, name: string, value: string): void {
  const key = wellFormed(name);
  if (key !== '__proto__') query[key] = wellFormed(value);
}

function queryText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',');
  return JSON.stringify(value) ?? String(value);
}

/** Every string (keys too) and scalar in a value, without recursion (bodies may nest 100 000 deep). */
function collectStrings(root: unknown, out: string[]): string[] {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        out.push(k);
        stack.push(v);
      }
    } else if (value !== undefined) out.push(String(value));
  }
  return out;
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A REST request for an input: path members in the path, the rest in the query (GET, DELETE) or the JSON body. */
export function restRequest(operation: AnyOperation, input: Record<string, unknown>, label: string, body?: { text: string; contentType?: string }): FuzzRequest {
  const rest = operation.rest;
  if (!rest) throw new Error(`${operation.name} has no REST route`);
  const remaining: Record<string, unknown> = { ...input };
  const path = rest.path.replace(/\{(\w+)\}/g, (_, member: string) => {
    const value = remaining[member];
    delete remaining[member];
    return value === undefined ? '' : encodeURIComponent(wellFormed(queryText(value)));
  });
  const from = rest.from ?? (rest.method === 'GET' || rest.method === 'DELETE' ? 'query' : 'body');
  // No prototype: a member named `__proto__` is a parameter like any other.
  const query: Record<string, string> = Object.create(null);
  let text: string | undefined;
  let contentType: string | undefined;
  if (from === 'query') {
    const queryName = new Map<string, string>([
      ...Object.entries(CURSOR_PARAMS).map(([q, m]): [string, string] => [m, q]),
      ...Object.entries(rest.listParams ?? {}).map(([q, m]): [string, string] => [m, q]),
    ]);
    for (const [member, value] of Object.entries(remaining)) {
      const name = queryName.get(member) ?? member.charAt(0).toLowerCase() + member.slice(1);
      setUrlParam(query, name, queryText(value));
    }
  } else if (Object.keys(remaining).length > 0) {
    text = JSON.stringify(remaining);
    contentType = 'application/json';
  }
  if (body) {
    text = body.text;
    contentType = body.contentType;
  }
  return {
    label,
    method: rest.method,
    path,
    query,
    ...(contentType !== undefined ? { contentType } : {}),
    ...(text !== undefined ? { body: text } : {}),
    sent: collectStrings(input, body ? [body.text, ...collectStrings(parsedOrText(body.text), [])] : []),
  };
}

/** Junk JSON: any JSON value, nested, with unicode keys and values. */
const junkJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    junkText(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(junkText(10), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Bodies that are not a JSON object of the operation's members. */
const junkBody = fc.oneof(
  fc.constantFrom('[]', '"text"', '1', 'null', 'true', '{', '{"a":}', "{'a':1}", '{"a":1}}', '\u0000', 'undefined', 'NaN', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', ' ', '\ufeff{}'),
  fc.constantFrom(1000, 100_000).map((depth) => nested(depth, '[', ']')),
  fc.constantFrom(1000, 100_000).map((depth) => nested(depth, '{"UserName":', '}', '"x"')),
  fc.constant(`{"x":"${'a'.repeat(1_100_000)}"}`),
  junkText(60),
  junkJson.map((v) => JSON.stringify(v) ?? 'null'),
);

const junkContentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'APPLICATION/JSON',
  'application/json-patch+json',
  undefined,
);

/** Junk through REST: junk path members, unknown query parameters, junk bodies, wrong content types. */
export function restJunk(operation: AnyOperation): fc.Arbitrary<FuzzRequest> {
  const rest = operation.rest;
  if (!rest) throw new Error(`${operation.name} has no REST route`);
  const members = Object.keys(operation.input.members);
  const pathMembers = [...rest.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const queryNames = fc.oneof(
    members.length > 0 ? fc.constantFrom(...members, ...members.map((m) => m.charAt(0).toLowerCase() + m.slice(1))) : fc.constant('x'),
    fc.constantFrom('cursor', 'limit', 'keys', 'filter', 'verdicts', 'action', 'resource', 'Action', 'X-Amz-Date'),
    junkText(12),
  );
  return fc
    .record({
      pathValues: fc.tuple(...pathMembers.map(() => junkText(30)), fc.constant('')),
      query: fc.dictionary(queryNames, junkText(), { maxKeys: 4 }),
      body: fc.option(fc.tuple(fc.oneof(junkBody, junkJson.map((v) => JSON.stringify(v) ?? 'null')), junkContentType), { nil: undefined }),
      members: fc.dictionary(members.length > 0 ? fc.oneof(fc.constantFrom(...members), junkText(10)) : junkText(10), junkJson, { maxKeys: 4 }),
      // Now and then another method on the same path.
      method: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') }),
      repeat: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: junkText(10) }),
    })
    .map(({ pathValues, query, body: junk, members: memberValues, method, repeat }) => {
      // A GET carries no body.
      const body = (method ?? rest.method) === 'GET' ? undefined : junk;
      const input: Record<string, unknown> = { ...memberValues };
      pathMembers.forEach((m, i) => (input[m] = pathValues[i]));
      const request = restRequest(operation, input, '', body ? { text: body[0], ...(body[1] !== undefined ? { contentType: body[1] } : {}) } : undefined);
      const all: Record<string, string | string[]> = Object.assign(Object.create(null), request.query);
      for (const [k, v] of Object.entries(query)) setUrlParam(all as Record<string, string>, k, v);
      // A repeated parameter.
      const first = Object.keys(all)[0];
      if (repeat && first !== undefined) all[first] = [String(all[first]), wellFormed(repeat)];
      const label = `rest/junk ${method ?? request.method} ${shown(request.path)} query ${shown({ ...all })} body ${shown(request.body ?? '')} (${request.contentType ?? 'no content type'})`;
      const sent = [...request.sent, ...Object.keys(query), ...Object.values(query)];
      if (method === 'GET') return { label, method, path: request.path, query: all, sent };
      return { ...request, ...(method ? { method } : {}), label, query: all, sent };
    });
}

/** Near-valid input through REST, sometimes with the body in a wrong content type or as non-object JSON. */
export function restNear(operation: AnyOperation, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(nearValidInput(operation, world, true), fc.nat({ max: 9 }), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', undefined))
    .map(([{ input, change }, dice, contentType]) => {
      const request = restRequest(operation, input, `rest/near ${change}`);
      if (request.body !== undefined && dice === 0) {
        return { ...request, label: `${request.label} (as ${contentType ?? 'no content type'})`, ...(contentType ? { contentType } : { contentType: undefined }) };
      }
      if (request.body !== undefined && dice === 1) {
        return { ...request, label: `${request.label} (wrapped in an array)`, body: `[${request.body}]` };
      }
      return request;
    });
}
