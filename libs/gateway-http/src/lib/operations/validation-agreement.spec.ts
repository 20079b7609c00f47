import { isDeepStrictEqual } from 'node:util';
import { QueryValidationError, type Shape, type StructureShape, validateShape } from '@iam/aws-protocol';
import { IamError, parseRequest, REQUEST_SCHEMAS } from '@iam/contracts';
import type { Caller } from '../application/caller';
import { GatewayErrors } from '../http/gateway-errors';
import { OPERATIONS } from './index';
import type { AnyOperation, OperationContext } from './operation';

/**
 * The gateway validates an operation's input with its shape (both fronts), then sends it to the
 * owning service, which validates it again with the contract's schema. The two must agree: on
 * every value of every member the gateway forwards as it came, both accept, or both refuse with
 * the same AWS error code and message. The members compared are found from the operation table
 * (each operation is run against a bus that records what it sends), so a new operation is
 * covered without being listed here.
 */

const ACCOUNT = '123456789012';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/team/ann`;

/** Values tried first as a member's valid sample, by member name (any value its shape accepts serves otherwise). */
const PREFERRED: Record<string, unknown> = {
  PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p`,
  PolicySourceArn: USER_ARN,
  ActionName: 'iam:GetUser',
  ResourceArn: '*',
  Resource: '*',
  ActionNames: ['iam:GetUser'],
  PolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
  PolicyInputList: ['{"Version":"2012-10-17","Statement":[]}'],
  Password: 'Sup3r-secret!',
  OldPassword: 'Sup3r-secret!',
  NewPassword: 'An0ther-secret!',
  ContextKeyName: 'aws:username',
  AccountAlias: 'example-corp',
};

/** Strings tried in order for a member's valid sample. */
const STRINGS = [
  'ann',
  'v1',
  '/',
  'team',
  'iam:GetUser',
  'AKIAEXAMPLEEXAMPLE00',
  `arn:aws:iam::${ACCOUNT}:policy/p`,
  'aws:username',
  'Active',
];

/** Characters appended to a valid sample: each is refused by some pattern and allowed by others. */
const ODD_CHARACTERS = [' ', '\u0000', '*', '!', '/', 'é', '\u{1F600}', '\t', '\u0085', ':', '#'];

function sampleOf(shape: Shape, name: string): unknown {
  const preferred = PREFERRED[name];
  if (preferred !== undefined && validateShape(shape, preferred).length === 0) return preferred;
  switch (shape.type) {
    case 'string':
      return shape.enum ? shape.enum[0] : [...STRINGS, 'x'.repeat(shape.min ?? 1)].find((s) => validateShape(shape, s).length === 0);
    case 'integer':
      return Math.max(shape.min ?? 1, 1);
    case 'boolean':
      return true;
    case 'list': {
      const member = sampleOf(shape.member, name);
      return member === undefined ? undefined : Array.from({ length: Math.max(shape.min ?? 1, 1) }, () => member);
    }
    case 'structure': {
      const value: Record<string, unknown> = {};
      for (const [child, member] of Object.entries(shape.members)) {
        if (member.required) value[child] = sampleOf(member, child);
      }
      return value;
    }
    default:
      return undefined;
  }
}

interface Variant {
  readonly label: string;
  /** `undefined`: the member left out. */
  readonly value: unknown;
}

/** Every kind of value to try for a member: absent, empty, too short, too long, odd characters, wrong types, over limits. */
function variantsOf(shape: Shape, sample: unknown, label = ''): Variant[] {
  const at = (what: string) => (label ? `${label}: ${what}` : what);
  const wrongTypes: Variant[] = [
    { label: at('null'), value: null },
    { label: at('a number'), value: 7 },
    { label: at('a boolean'), value: true },
    { label: at('an object'), value: { a: 1 } },
  ];
  const variants: Variant[] = [{ label: at('absent'), value: undefined }];
  switch (shape.type) {
    case 'string': {
      const text = String(sample);
      variants.push({ label: at('empty'), value: '' });
      if (shape.min !== undefined && shape.min > 1) variants.push({ label: at('one short'), value: text.slice(0, 1).repeat(shape.min - 1) });
      if (shape.max !== undefined) {
        variants.push({ label: at('at the limit'), value: text.padEnd(shape.max, text.slice(-1)) });
        variants.push({ label: at('one too long'), value: text.padEnd(shape.max + 1, text.slice(-1)) });
      }
      for (const odd of ODD_CHARACTERS) variants.push({ label: at(`with ${JSON.stringify(odd)}`), value: `${text}${odd}` });
      if (shape.enum) variants.push({ label: at('not in the enum'), value: text.toLowerCase() === text ? text.toUpperCase() : text.toLowerCase() });
      variants.push(...wrongTypes.filter((v) => v.value !== true).concat({ label: at('a list'), value: [text] }));
      return variants;
    }
    case 'integer': {
      const { min, max } = shape;
      if (min !== undefined) variants.push({ label: at('below the minimum'), value: min - 1 });
      if (max !== undefined) variants.push({ label: at('above the maximum'), value: max + 1 }, { label: at('the maximum'), value: max });
      variants.push({ label: at('zero'), value: 0 }, { label: at('negative'), value: -1 }, { label: at('a fraction'), value: 1.5 });
      variants.push({ label: at('digits in a string'), value: '5' }, { label: at('beyond safe integers'), value: 2 ** 60 });
      return variants.concat(wrongTypes.filter((v) => v.value !== 7));
    }
    case 'boolean':
      return variants.concat({ label: at('"true" in a string'), value: 'true' }, ...wrongTypes.filter((v) => v.value !== true));
    case 'list': {
      const items = sample as unknown[];
      const one = items[0];
      variants.push({ label: at('empty'), value: [] });
      if (shape.max !== undefined) {
        variants.push({ label: at('at the limit'), value: Array.from({ length: shape.max }, () => one) });
        variants.push({ label: at('one too many'), value: Array.from({ length: shape.max + 1 }, () => one) });
      }
      variants.push(...wrongTypes, { label: at('a string'), value: 'x' });
      for (const item of variantsOf(shape.member, one, at('member 1'))) {
        if (item.value !== undefined) variants.push({ label: item.label, value: [item.value, ...items.slice(1)] });
      }
      return variants;
    }
    case 'structure': {
      const record = sample as Record<string, unknown>;
      variants.push(...wrongTypes.filter((v) => !(typeof v.value === 'object' && v.value !== null)), { label: at('a string'), value: 'x' });
      for (const [child, member] of Object.entries(shape.members)) {
        const childSample = record[child] ?? sampleOf(member, child);
        for (const item of variantsOf(member, childSample, at(child))) {
          const value = { ...record, [child]: item.value };
          if (item.value === undefined) delete value[child];
          variants.push({ label: item.label, value });
        }
      }
      return variants;
    }
    default:
      return variants;
  }
}

/** What a validator answered: accepted, or the error's code and message. */
type Verdict = 'accepted' | { code: string; message: string };

function gatewayVerdict(shape: StructureShape, input: Record<string, unknown>): Verdict {
  const issues = validateShape(shape, input);
  if (issues.length === 0) return 'accepted';
  const error = GatewayErrors.validation(new QueryValidationError(issues).message);
  return { code: error.code, message: error.message };
}

function contractVerdict(subject: string, payload: Record<string, unknown>): Verdict {
  const schema = (REQUEST_SCHEMAS as Record<string, Parameters<typeof parseRequest>[0]>)[subject];
  try {
    // As the service receives it: JSON over the bus.
    parseRequest(schema, JSON.parse(JSON.stringify(payload)));
    return 'accepted';
  } catch (error) {
    if (error instanceof IamError) return { code: error.code, message: error.message };
    throw error;
  }
}

const caller: Caller = {
  type: 'user',
  arn: `arn:aws:iam::${ACCOUNT}:user/me`,
  accountId: ACCOUNT,
  via: 'access-key',
  userId: 'AIDAME',
  userName: 'me',
  path: '/',
  tags: [],
  passwordResetRequired: false,
};

interface Sent {
  readonly subject: string;
  readonly payload: Record<string, unknown>;
}

/** Runs an operation's call against a bus that records every request and answers plausibly. */
async function sentBy(operation: AnyOperation, input: Record<string, unknown>): Promise<Sent[]> {
  const sent: Sent[] = [];
  const resolved = { UserId: 'AIDAANN', UserName: 'ann', Path: '/team/', Arn: USER_ARN, State: 'active', Tags: [], CreateDate: '2026-01-01T00:00:00Z' };
  const bus = {
    send: async (subject: string, payload: Record<string, unknown>) => {
      sent.push({ subject, payload });
      if (subject === 'identity.user.resolve') return resolved;
      return {};
    },
  };
  const context: OperationContext = {
    caller,
    request: { requestId: 'r-1', method: 'POST', path: '/', rawQuery: '', headers: {}, body: Buffer.alloc(0), sourceIp: '192.0.2.1', secure: true, userAgent: 'spec' },
    bus: bus as unknown as OperationContext['bus'],
    accountId: ACCOUNT,
    now: new Date('2026-01-01T00:00:00Z'),
    options: { accountId: ACCOUNT } as OperationContext['options'],
    authorize: async () => undefined,
    decide: async (checks) => checks.map(() => ({ decision: 'allowed' as const, missingContextKeys: [] })),
    evaluate: async () => ({ Decision: 'allowed', MatchedStatements: [], MissingContextKeys: [] }) as never,
    resolveUser: async () => resolved as never,
    resolveGroup: async (name) => ({ GroupId: 'AGPAGROUP', GroupName: name, Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/${name}` }) as never,
  };
  // An operation may refuse the input itself (sync or async); what it sent until then counts.
  await (async () => operation.call(input as never, context))().catch(() => undefined);
  return sent;
}

/** The valid input an operation's member is tried in: its required members and that member. */
function baseInput(operation: AnyOperation, name: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [member, shape] of Object.entries(operation.input.members)) {
    if (shape.required || member === name) input[member] = sampleOf(shape, member);
  }
  return input;
}

/** One member an operation validates and then sends, unchanged, in a request the service validates too. */
interface Pair {
  readonly operation: AnyOperation;
  readonly member: string;
  readonly input: Record<string, unknown>;
  readonly subject: string;
  readonly payload: Record<string, unknown>;
}

async function pairsOf(operation: AnyOperation): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (const member of Object.keys(operation.input.members)) {
    const input = baseInput(operation, member);
    const sent = await sentBy(operation, input);
    for (const { subject, payload } of sent) {
      if (!(member in payload) || !isDeepStrictEqual(JSON.parse(JSON.stringify(payload[member])), input[member])) continue;
      if (!(subject in REQUEST_SCHEMAS)) continue;
      pairs.push({ operation, member, input, subject, payload });
    }
  }
  return pairs;
}

/**
 * Operations with input none of which reaches a service as it came, so nothing is compared; each
 * must be listed here, so that one which stops forwarding its input is noticed.
 */
const NOTHING_FORWARDED = new Set([
  // Resolve the principal, or decide in the gateway, and send what they found.
  'Authorize',
  'GetCallerPermissions',
  // Views the gateway pages itself, over whole lists it reads.
  'GetAccountAuthorizationDetails',
  'ListAccountAliases',
  // Credentials this server has not: always an empty page, nothing sent.
  'ListMFADevices',
  'ListVirtualMFADevices',
  'ListSSHPublicKeys',
  'ListSigningCertificates',
  'ListServiceSpecificCredentials',
]);

describe('the gateway and the services validate the same inputs alike', () => {
  const pairs: Pair[] = [];

  beforeAll(async () => {
    for (const operation of OPERATIONS) pairs.push(...(await pairsOf(operation)));
  });

  it('compares the members of every operation that forwards any, and only those are listed as forwarding none', () => {
    const compared = new Set(pairs.map((p) => p.operation.name));
    const withInput = OPERATIONS.filter((o) => Object.keys(o.input.members).length > 0).map((o) => o.name);
    expect(withInput.filter((name) => !compared.has(name))).toEqual(withInput.filter((name) => NOTHING_FORWARDED.has(name)));
    expect([...NOTHING_FORWARDED].filter((name) => !withInput.includes(name))).toEqual([]);
  });

  it('every sample input is valid for both', () => {
    const refused = pairs
      .map((p) => ({ at: `${p.operation.name}.${p.member} → ${p.subject}`, gateway: gatewayVerdict(p.operation.input, p.input), service: contractVerdict(p.subject, p.payload) }))
      .filter((r) => r.gateway !== 'accepted' || r.service !== 'accepted');
    expect(refused).toEqual([]);
  });

  it('every variant of every forwarded member is accepted by both or refused by both with the same error', () => {
    const disagreements: unknown[] = [];
    for (const pair of pairs) {
      const shape = pair.operation.input.members[pair.member];
      for (const variant of variantsOf(shape, pair.input[pair.member])) {
        const input = { ...pair.input, [pair.member]: variant.value };
        const payload = { ...pair.payload, [pair.member]: variant.value };
        if (variant.value === undefined) {
          delete input[pair.member];
          delete payload[pair.member];
        }
        const gateway = gatewayVerdict(pair.operation.input, input);
        const service = contractVerdict(pair.subject, payload);
        // An operation may need a member its service can do without (a view of one user needs
        // the name; identity's GetUser without one answers the caller): it sends something else then.
        const requiredByTheOperation = variant.value === undefined && shape.required && service === 'accepted';
        if (!isDeepStrictEqual(gateway, service) && !requiredByTheOperation) {
          disagreements.push({ at: `${pair.operation.name}.${pair.member} (${variant.label}) → ${pair.subject}`, gateway, service });
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});
