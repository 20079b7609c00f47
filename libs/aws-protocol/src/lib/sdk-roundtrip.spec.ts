/**
 * End to end with the real client: @aws-sdk/client-iam calls a loopback HTTP server that plays
 * gateway and identity with this library only (SigV4 check, Query decoding, XML replies), and
 * the SDK's own deserializer reads what we wrote.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateUserCommand,
  DeleteUserCommand,
  GetAccountSummaryCommand,
  GetUserCommand,
  IAMClient,
  IAMServiceException,
  ListUsersCommand,
  NoSuchEntityException,
  SimulateCustomPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AwsProtocolError,
  decodeQueryInput,
  defineShape,
  deriveSigningKey,
  invalidClientTokenIdError,
  prepareSigV4Verification,
  queryErrorResponse,
  queryResponse,
  readQueryParameters,
  signatureDoesNotMatchError,
  signaturesEqual,
  signStringToSign,
  type StructureShape,
  type XmlStructure,
} from '../index';

const KEYS: Record<string, string> = { AKIAROUNDTRIP0000001: 'round/trip+secret/KEY' };
const ACCOUNT = '123456789012';
const CREATED = new Date('2026-11-28T01:02:03Z');

const tags = {
  type: 'list',
  member: {
    type: 'structure',
    members: { Key: { type: 'string', required: true, min: 1 }, Value: { type: 'string', required: true } },
  },
} as const;

const SHAPES: Record<string, StructureShape> = {
  CreateUser: defineShape({
    type: 'structure',
    members: {
      Path: { type: 'string' },
      UserName: { type: 'string', required: true, min: 1, max: 64, pattern: '[\\w+=,.@-]+' },
      Tags: tags,
    },
  }),
  GetUser: defineShape({ type: 'structure', members: { UserName: { type: 'string' } } }),
  DeleteUser: defineShape({ type: 'structure', members: { UserName: { type: 'string', required: true } } }),
  ListUsers: defineShape({ type: 'structure', members: { MaxItems: { type: 'integer', min: 1, max: 1000 } } }),
  GetAccountSummary: defineShape({ type: 'structure', members: {} }),
  SimulateCustomPolicy: defineShape({
    type: 'structure',
    members: {
      PolicyInputList: { type: 'list', required: true, member: { type: 'string' } },
      ActionNames: { type: 'list', required: true, member: { type: 'string' } },
      ContextEntries: {
        type: 'list',
        member: {
          type: 'structure',
          members: {
            ContextKeyName: { type: 'string' },
            ContextKeyValues: { type: 'list', member: { type: 'string' } },
            ContextKeyType: { type: 'string' },
          },
        },
      },
    },
  }),
};

const STATUS: Record<string, number> = {
  MissingAuthenticationToken: 403,
  IncompleteSignature: 400,
  SignatureDoesNotMatch: 403,
  InvalidClientTokenId: 403,
  RequestExpired: 400,
  InvalidQueryParameter: 400,
  ValidationError: 400,
  NoSuchEntity: 404,
};

class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The identity service's half: secrets stay here. */
function identityVerify(input: ReturnType<typeof prepareSigV4Verification>): void {
  const secret = KEYS[input.accessKeyId];
  if (secret === undefined) throw invalidClientTokenIdError();
  const key = deriveSigningKey(secret, input.scope.date, input.scope.region, input.scope.service);
  if (!signaturesEqual(signStringToSign(key, input.stringToSign), input.signature)) throw signatureDoesNotMatchError();
}

function user(name: string, path = '/'): XmlStructure {
  return { Path: path, UserName: name, UserId: `AIDA${name.toUpperCase()}`, Arn: `arn:aws:iam::${ACCOUNT}:user${path}${name}`, CreateDate: CREATED };
}

/** The application's half, for this test: answers a few actions. */
function handle(action: string, input: Record<string, unknown>): XmlStructure | undefined {
  switch (action) {
    case 'CreateUser':
      return { User: { ...user(input['UserName'] as string, (input['Path'] as string) ?? '/'), Tags: input['Tags'] as XmlStructure[] } };
    case 'GetUser':
      if (input['UserName'] === 'ghost') throw new ServiceError('NoSuchEntity', 'The user with name ghost cannot be found.');
      return { User: user((input['UserName'] as string) ?? 'caller') };
    case 'DeleteUser':
      return undefined;
    case 'ListUsers':
      return { Users: [user('a'), user('b & <c>')], IsTruncated: false };
    case 'GetAccountSummary':
      return { SummaryMap: new Map([['Users', 2], ['UsersQuota', 5000]]) };
    case 'SimulateCustomPolicy':
      return {
        EvaluationResults: (input['ActionNames'] as string[]).map((name) => ({
          EvalActionName: name,
          EvalResourceName: '*',
          EvalDecision: 'allowed',
          MatchedStatements: [],
          MissingContextValues: (input['ContextEntries'] as { ContextKeyName: string }[]).map((e) => e.ContextKeyName),
        })),
        IsTruncated: false,
      };
    default:
      throw new ServiceError('ValidationError', `Unknown action ${action}`);
  }
}

async function gateway(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const request = { method: req.method ?? 'GET', path: q < 0 ? url : url.slice(0, q), rawQuery, headers: req.headersDistinct, body };

  let status = 200;
  let xml: string;
  try {
    identityVerify(prepareSigV4Verification(request, { now: new Date() }));
    const params = readQueryParameters({ rawQuery, body, contentType: req.headers['content-type'] });
    const action = params.get('Action') ?? '';
    const shape = SHAPES[action];
    if (!shape) throw new ServiceError('ValidationError', `Unknown action ${action}`);
    const { input, unknownParameters } = decodeQueryInput(shape, params);
    if (unknownParameters.length > 0) throw new ServiceError('ValidationError', `Unknown ${unknownParameters.join(', ')}`);
    xml = queryResponse(action, handle(action, input as Record<string, unknown>), requestId);
  } catch (error) {
    if (!(error instanceof AwsProtocolError || error instanceof ServiceError)) throw error;
    status = STATUS[error.code] ?? 400;
    xml = queryErrorResponse({ type: 'Sender', code: error.code, message: error.message }, requestId);
  }
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, date: new Date().toUTCString() });
  res.end(xml);
}

describe('round trip with @aws-sdk/client-iam', () => {
  let server: Server;
  let endpoint: string;
  let counter = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      counter += 1;
      gateway(req, res, `req-${counter}`).catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  function client(accessKeyId = 'AKIAROUNDTRIP0000001', secretAccessKey = KEYS['AKIAROUNDTRIP0000001'], extra = {}): IAMClient {
    return new IAMClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1, ...extra });
  }

  it('CreateUser: signed POST, Tags list in, structure out', async () => {
    const reply = await client().send(
      new CreateUserCommand({
        UserName: 'alice',
        Path: '/team a+b/',
        Tags: [
          { Key: 'cost center', Value: 'ünïcødé & <xml> "quotes"' },
          { Key: 'empty', Value: '' },
        ],
      }),
    );
    expect(reply.User).toEqual({
      Path: '/team a+b/',
      UserName: 'alice',
      UserId: 'AIDAALICE',
      Arn: `arn:aws:iam::${ACCOUNT}:user/team a+b/alice`,
      CreateDate: CREATED,
      Tags: [
        { Key: 'cost center', Value: 'ünïcødé & <xml> "quotes"' },
        { Key: 'empty', Value: '' },
      ],
    });
    expect(reply.$metadata.httpStatusCode).toBe(200);
    expect(reply.$metadata.requestId).toMatch(/^req-\d+$/);
  });

  it('DeleteUser: a reply with no result element', async () => {
    const reply = await client().send(new DeleteUserCommand({ UserName: 'alice' }));
    expect(reply.$metadata.httpStatusCode).toBe(200);
    expect(Object.keys(reply)).toEqual(['$metadata']);
  });

  it('ListUsers: a list of structures, booleans, escaped text', async () => {
    const reply = await client().send(new ListUsersCommand({ MaxItems: 10 }));
    expect(reply.Users?.map((u) => u.UserName)).toEqual(['a', 'b & <c>']);
    expect(reply.IsTruncated).toBe(false);
    expect(reply.Users?.[0].CreateDate).toEqual(CREATED);
  });

  it('GetAccountSummary: a map', async () => {
    const reply = await client().send(new GetAccountSummaryCommand({}));
    expect(reply.SummaryMap).toEqual({ Users: 2, UsersQuota: 5000 });
  });

  it('SimulateCustomPolicy: nested lists in the request', async () => {
    const reply = await client().send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: ['{"Version":"2012-10-17"}'],
        ActionNames: ['iam:GetUser', 'iam:ListUsers'],
        ContextEntries: [
          { ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ipList', ContextKeyValues: ['10.0.0.1', '10.0.0.2'] },
          { ContextKeyName: 'aws:username', ContextKeyType: 'string', ContextKeyValues: ['alice'] },
        ],
      }),
    );
    expect(reply.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision, r.MissingContextValues])).toEqual([
      ['iam:GetUser', 'allowed', ['aws:SourceIp', 'aws:username']],
      ['iam:ListUsers', 'allowed', ['aws:SourceIp', 'aws:username']],
    ]);
  });

  it('a modeled error becomes its named exception with the HTTP status', async () => {
    const failure = client().send(new GetUserCommand({ UserName: 'ghost' }));
    await expect(failure).rejects.toBeInstanceOf(NoSuchEntityException);
    const error = (await failure.catch((e: unknown) => e)) as NoSuchEntityException;
    expect(error.name).toBe('NoSuchEntityException');
    expect(error.message).toBe('The user with name ghost cannot be found.');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.$metadata.requestId).toMatch(/^req-\d+$/);
    expect(error.$fault).toBe('client');
  });

  it('a wrong secret is SignatureDoesNotMatch (403)', async () => {
    const error = (await client('AKIAROUNDTRIP0000001', 'not-the-secret')
      .send(new GetUserCommand({}))
      .catch((e: unknown) => e)) as IAMServiceException;
    expect(error).toBeInstanceOf(IAMServiceException);
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(/^The request signature we calculated does not match/);
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('an unknown key is InvalidClientTokenId (403)', async () => {
    const error = (await client('AKIAUNKNOWN000000000', 'x')
      .send(new GetUserCommand({}))
      .catch((e: unknown) => e)) as IAMServiceException;
    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('a skewed client clock is RequestExpired (400)', async () => {
    const error = (await client(undefined, undefined, { systemClockOffset: -20 * 60_000 })
      .send(new GetUserCommand({}))
      .catch((e: unknown) => e)) as IAMServiceException;
    expect(error.name).toBe('RequestExpired');
    expect(error.message).toMatch(/^Signature expired: /);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('a constraint violation is ValidationError with the AWS message (400)', async () => {
    const error = (await client()
      .send(new CreateUserCommand({ UserName: 'bad name' }))
      .catch((e: unknown) => e)) as IAMServiceException;
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(
      "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});
