import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IamError, IdentityPatterns, type PasswordPolicy, type User } from '@iam/contracts';
import { inProcessTransport, memoryLogger, startStubService } from '@iam/testing';
import { XMLParser } from 'fast-xml-parser';
import { HeaderAuthenticator, json, startTestGateway } from '../../test-support/harness';
import { Authorizer } from '../auth/authorizer';
import type { Caller } from './caller';
import type { Check } from '../operations/operation';

/** Records every check and denies the ones listed. */
class RecordingAuthorizer extends Authorizer {
  readonly seen: Array<{ caller: string; checks: readonly Check[] }> = [];
  deny = new Set<string>();
  async authorize(caller: Caller, checks: readonly Check[]): Promise<void> {
    this.seen.push({ caller: caller.arn, checks });
    if (caller.type === 'root') return;
    const denied = checks.find((c) => this.deny.has(c.action));
    if (denied) throw new IamError('AccessDenied', `denied ${denied.action}`);
  }
}

const xml = new XMLParser();

describe('gateway framework: both fronts over one application layer', () => {
  let app: NestFastifyApplication;
  let url: string;
  const authorizer = new RecordingAuthorizer();
  const users = new Map<string, User>();
  const closers: Array<{ close(): Promise<unknown> }> = [];
  const calls: string[] = [];
  let passwordPolicy: PasswordPolicy | undefined;
  const logs = memoryLogger('gateway');

  beforeAll(async () => {
    const transport = inProcessTransport();
    closers.push(
      await startStubService(transport, 'identity', {
        [IdentityPatterns.CreateUser]: (r) => {
          calls.push(`create:${r.UserName}`);
          if (users.has(r.UserName.toLowerCase())) throw new IamError('EntityAlreadyExists', `User with name ${r.UserName} already exists.`);
          const user: User = {
            UserName: r.UserName,
            Path: r.Path ?? '/',
            UserId: 'AIDAAAAAAAAAAAAAAAAAA',
            Arn: `arn:aws:iam::123456789012:user${r.Path ?? '/'}${r.UserName}`,
            CreateDate: '2026-01-02T03:04:05.000Z',
            ...(r.Tags ? { Tags: r.Tags } : {}),
          };
          users.set(r.UserName.toLowerCase(), user);
          return { User: user };
        },
        [IdentityPatterns.GetUser]: (r) => {
          calls.push(`get:${r.UserName}`);
          const user = users.get((r.UserName ?? '').toLowerCase());
          if (!user) throw new IamError('NoSuchEntity', `The user with name ${r.UserName} cannot be found.`);
          return { User: user };
        },
        [IdentityPatterns.GetAccountPasswordPolicy]: () => {
          if (!passwordPolicy) throw new IamError('NoSuchEntity', 'The Password Policy with domain name 123456789012 cannot be found.');
          return { PasswordPolicy: passwordPolicy };
        },
        [IdentityPatterns.ResolveUser]: (r) => {
          calls.push(`resolve:${'UserName' in r ? r.UserName : ''}`);
          const user = 'UserName' in r && r.UserName ? users.get(r.UserName.toLowerCase()) : undefined;
          if (!user) throw new IamError('NoSuchEntity', 'not found');
          return { UserId: user.UserId, UserName: user.UserName, Path: user.Path, Arn: user.Arn, State: 'active', Tags: user.Tags ?? [], CreateDate: user.CreateDate };
        },
      }),
    );
    ({ app, url } = await startTestGateway({ transport, authenticator: new HeaderAuthenticator(), authorizer, logger: logs.logger }));
  });

  afterAll(async () => {
    await app?.close();
    for (const closer of closers) await closer.close();
  });

  beforeEach(() => {
    authorizer.seen.length = 0;
    authorizer.deny.clear();
    calls.length = 0;
  });

  const rest = (method: string, path: string, as: string | undefined, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { ...(as ? { authorization: `Test ${as}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const query = (params: Record<string, string>, as: string | undefined) =>
    fetch(`${url}/`, {
      method: 'POST',
      headers: { ...(as ? { authorization: `Test ${as}` } : {}), 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({ Version: '2010-05-08', ...params }).toString(),
    });

  it('creates through REST with the ARN of the new user as the checked resource and its tags in the context', async () => {
    const response = await rest('POST', '/v1/users', 'bob', { UserName: 'ann', Path: '/eng/', Tags: [{ Key: 'team', Value: 'blue' }] });
    expect(response.status).toBe(201);
    expect((await json(response)).User).toMatchObject({ UserName: 'ann', Path: '/eng/' });
    expect(authorizer.seen).toEqual([
      {
        caller: 'arn:aws:iam::123456789012:user/bob',
        checks: [
          {
            action: 'iam:CreateUser',
            resource: 'arn:aws:iam::123456789012:user/eng/ann',
            context: { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'blue' },
          },
        ],
      },
    ]);
  });

  it('reads through the Query API with the resolved path in the ARN and writes AWS XML', async () => {
    const response = await query({ Action: 'GetUser', UserName: 'ANN' }, 'bob');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/xml');
    const body = xml.parse(await response.text());
    expect(body.GetUserResponse.GetUserResult.User).toMatchObject({ UserName: 'ann', Path: '/eng/', Arn: 'arn:aws:iam::123456789012:user/eng/ann' });
    expect(body.GetUserResponse.ResponseMetadata.RequestId).toBe(response.headers.get('x-amzn-requestid'));
    expect(authorizer.seen[0].checks[0]).toMatchObject({ action: 'iam:GetUser', resource: 'arn:aws:iam::123456789012:user/eng/ann' });
  });

  it('computes no checks for root, which is not subject to policies: no authorizer call, no read of the target', async () => {
    const response = await query({ Action: 'GetUser', UserName: 'ANN' }, 'root');
    expect(response.status).toBe(200);
    expect(xml.parse(await response.text()).GetUserResponse.GetUserResult.User).toMatchObject({ UserName: 'ann', Path: '/eng/' });
    expect(authorizer.seen).toEqual([]);
    expect(calls).toEqual(['get:ANN']);
    const asUser = await query({ Action: 'GetUser', UserName: 'ANN' }, 'bob');
    expect(asUser.status).toBe(200);
    expect(authorizer.seen).toHaveLength(1);
    expect(calls).toEqual(['get:ANN', 'resolve:ANN', 'get:ANN']);
  });

  it('denies before the owning service is called', async () => {
    authorizer.deny.add('iam:CreateUser');
    const response = await query({ Action: 'CreateUser', UserName: 'eve' }, 'bob');
    expect(response.status).toBe(403);
    const body = xml.parse(await response.text());
    expect(body.ErrorResponse.Error).toEqual({ Type: 'Sender', Code: 'AccessDenied', Message: 'denied iam:CreateUser' });
    expect(calls).toEqual([]);
  });

  it('validates before authorizing, with AWS wording, on both fronts', async () => {
    const viaQuery = await query({ Action: 'CreateUser', UserName: 'no spaces' }, 'root');
    expect(viaQuery.status).toBe(400);
    expect(xml.parse(await viaQuery.text()).ErrorResponse.Error).toMatchObject({
      Code: 'ValidationError',
      Message:
        "1 validation error detected: Value 'no spaces' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    });
    const viaRest = await rest('POST', '/v1/users', 'root', { UserName: 'no spaces' });
    expect(viaRest.status).toBe(400);
    expect(await json(viaRest)).toMatchObject({
      code: 'ValidationError',
      message:
        "1 validation error detected: Value 'no spaces' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    });
    expect(authorizer.seen).toEqual([]);
  });

  it('refuses unknown parameters instead of ignoring them', async () => {
    const viaQuery = await query({ Action: 'CreateUser', UserName: 'zed', Nickname: 'z' }, 'root');
    expect(viaQuery.status).toBe(400);
    expect(xml.parse(await viaQuery.text()).ErrorResponse.Error.Message).toBe("The parameter 'Nickname' is not recognized by CreateUser.");
    const unsupported = await query({ Action: 'CreateUser', UserName: 'zed', PermissionsBoundary: 'arn:aws:iam::aws:policy/X' }, 'root');
    expect(xml.parse(await unsupported.text()).ErrorResponse.Error).toMatchObject({
      Code: 'InvalidInput',
      Message: "The parameter 'PermissionsBoundary' of CreateUser is not supported by this server.",
    });
    const viaRest = await rest('POST', '/v1/users', 'root', { UserName: 'zed', Nickname: 'z' });
    expect(await json(viaRest)).toMatchObject({ code: 'ValidationError', message: "The parameter 'Nickname' is not recognized by CreateUser." });
  });

  it('answers MissingAuthenticationToken without credentials, in each front\'s format', async () => {
    const viaQuery = await query({ Action: 'GetUser', UserName: 'ann' }, undefined);
    expect(viaQuery.status).toBe(403);
    expect(xml.parse(await viaQuery.text()).ErrorResponse.Error.Code).toBe('MissingAuthenticationToken');
    const viaRest = await rest('GET', '/v1/users/ann', undefined);
    expect(viaRest.status).toBe(403);
    expect((await json(viaRest)).code).toBe('MissingAuthenticationToken');
  });

  it('tells an unknown action from an AWS action this server does not serve', async () => {
    const unknown = await query({ Action: 'MakeCoffee' }, 'root');
    expect(unknown.status).toBe(400);
    expect(xml.parse(await unknown.text()).ErrorResponse.Error).toMatchObject({
      Code: 'InvalidAction',
      Message: 'Could not find operation MakeCoffee for version 2010-05-08',
    });
    const role = await query({ Action: 'CreateRole' }, 'root');
    expect(xml.parse(await role.text()).ErrorResponse.Error).toMatchObject({
      Code: 'InvalidAction',
      Message: 'The action CreateRole is not supported by this server yet.',
    });
    const otherVersion = await query({ Action: 'ListUsers', Version: '2011-01-01' }, 'root');
    expect(otherVersion.status).toBe(400);
    expect(xml.parse(await otherVersion.text()).ErrorResponse.Error).toMatchObject({
      Code: 'InvalidAction',
      Message: 'Could not find operation ListUsers for version 2011-01-01',
    });
  });

  it('lets a session whose password must be reset do nothing but change it', async () => {
    const response = await rest('GET', '/v1/users/ann', 'reset-carl');
    expect(response.status).toBe(403);
    expect((await json(response)).code).toBe('PasswordResetRequired');
    expect(authorizer.seen).toEqual([]);
  });

  it('maps service errors to statuses through the one table', async () => {
    const missing = await rest('GET', '/v1/users/nobody', 'root');
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.' });
    const duplicate = await query({ Action: 'CreateUser', UserName: 'ANN' }, 'root');
    expect(duplicate.status).toBe(409);
    expect(xml.parse(await duplicate.text()).ErrorResponse.Error.Code).toBe('EntityAlreadyExists');
  });

  it('refuses malformed JSON and unknown routes with a coded error', async () => {
    const broken = await fetch(`${url}/v1/users`, { method: 'POST', headers: { authorization: 'Test root', 'content-type': 'application/json' }, body: '{"UserName":' });
    expect(broken.status).toBe(400);
    expect((await json(broken)).code).toBe('ValidationError');
    const nowhere = await rest('GET', '/v1/nowhere', 'root');
    expect(nowhere.status).toBe(404);
    expect(await json(nowhere)).toMatchObject({ code: 'NotFound', message: 'No route for GET /v1/nowhere.' });
  });

  it('logs one line per request with the operation, the caller and the status, never the input', async () => {
    const response = await query({ Action: 'CreateUser', UserName: 'logged-secretive' }, 'root');
    const requestId = response.headers.get('x-amzn-requestid');
    let line: string | undefined;
    for (let i = 0; i < 50 && !line; i++) {
      line = logs.lines.find((l) => l.includes(`"requestId":"${requestId}"`) && l.includes('"msg":"request"'));
      if (!line) await new Promise((r) => setTimeout(r, 10));
    }
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      requestId,
      method: 'POST',
      url: '/',
      action: 'CreateUser',
      principal: 'arn:aws:iam::123456789012:root',
      status: 200,
    });
    expect(logs.lines.join('\n')).not.toContain('logged-secretive');
  });

  it('serves the OpenAPI document and the explorer without credentials', async () => {
    const document = await json(await fetch(`${url}/openapi.json`));
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/v1/users'].post.requestBody.content['application/json'].schema.properties.UserName).toEqual({
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^(?:[\\w+=,.@-]+)$',
    });
    const docs = await fetch(`${url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  describe('POST /v1/me/permissions: what the caller may do, in one batch', () => {
    const checks = [
      { Action: 'iam:ListUsers', Resource: '*' },
      { Action: 'iam:DeleteUser', Resource: 'arn:aws:iam::123456789012:user/ann' },
      { Action: 'myapp:Read', Resource: 'arn:myapp:::report/1' },
    ];

    it('answers the decision on each check, in order, without refusing the denied ones', async () => {
      authorizer.deny.add('iam:DeleteUser');
      const response = await rest('POST', '/v1/me/permissions', 'bob', { Checks: checks });
      expect(response.status).toBe(200);
      expect(await json(response)).toEqual({
        Principal: 'arn:aws:iam::123456789012:user/bob',
        Results: [
          { Action: 'iam:ListUsers', Resource: '*', Decision: 'allowed', MissingContextKeys: [] },
          { Action: 'iam:DeleteUser', Resource: 'arn:aws:iam::123456789012:user/ann', Decision: 'implicitDeny', MissingContextKeys: [] },
          { Action: 'myapp:Read', Resource: 'arn:myapp:::report/1', Decision: 'allowed', MissingContextKeys: [] },
        ],
      });
      // The operation itself needs no permission; then the caller itself is asked about, check by
      // check; no service was called.
      expect(authorizer.seen[0]).toEqual({ caller: 'arn:aws:iam::123456789012:user/bob', checks: [] });
      expect(authorizer.seen.slice(1).map((s) => [s.caller, s.checks.map((c) => c.action)])).toEqual([
        ['arn:aws:iam::123456789012:user/bob', ['iam:ListUsers']],
        ['arn:aws:iam::123456789012:user/bob', ['iam:DeleteUser']],
        ['arn:aws:iam::123456789012:user/bob', ['myapp:Read']],
      ]);
      expect(calls).toEqual([]);
    });

    it('needs credentials, refuses a session that must change its password, and is not on the Query API', async () => {
      expect((await json(await rest('POST', '/v1/me/permissions', undefined, { Checks: checks }))).code).toBe('MissingAuthenticationToken');
      const reset = await rest('POST', '/v1/me/permissions', 'reset-bob', { Checks: checks });
      expect(reset.status).toBe(403);
      expect((await json(reset)).code).toBe('PasswordResetRequired');
      const viaQuery = await query({ Action: 'GetCallerPermissions' }, 'bob');
      expect(viaQuery.status).toBe(400);
      expect(await viaQuery.text()).toContain('InvalidAction');
    });

    it('refuses an empty batch, more than 100 checks, a malformed action and unknown members', async () => {
      const many = Array.from({ length: 101 }, () => ({ Action: 'iam:ListUsers', Resource: '*' }));
      for (const body of [{ Checks: [] }, { Checks: many }, { Checks: [{ Action: 'ListUsers', Resource: '*' }] }, { Checks: checks, Principal: 'ann' }, {}]) {
        const response = await rest('POST', '/v1/me/permissions', 'bob', body);
        expect(response.status).toBe(400);
        expect((await json(response)).code).toBe('ValidationError');
      }
      expect(authorizer.seen).toEqual([]);
    });
  });

  describe('GET /v1/account/password-policy: the rules, for whoever must choose a password', () => {
    const policy = (allow: boolean): PasswordPolicy => ({
      MinimumPasswordLength: 12,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: allow,
      ExpirePasswords: false,
      HardExpiry: false,
    });
    afterEach(() => (passwordPolicy = undefined));

    it('needs iam:GetAccountPasswordPolicy unless the policy lets users change their password (as in AWS)', async () => {
      passwordPolicy = policy(false);
      authorizer.deny.add('iam:GetAccountPasswordPolicy');
      const denied = await rest('GET', '/v1/account/password-policy', 'bob');
      expect(denied.status).toBe(403);
      expect((await json(denied)).code).toBe('AccessDenied');
      passwordPolicy = policy(true);
      const allowed = await rest('GET', '/v1/account/password-policy', 'bob');
      expect(allowed.status).toBe(200);
      expect((await json(allowed)).PasswordPolicy).toMatchObject({ MinimumPasswordLength: 12, AllowUsersToChangePassword: true });
    });

    it('is readable by a session that must change its password, which may do nothing else', async () => {
      passwordPolicy = policy(false);
      authorizer.deny.add('iam:GetAccountPasswordPolicy');
      const response = await rest('GET', '/v1/account/password-policy', 'reset-bob');
      expect(response.status).toBe(200);
      expect((await json(response)).PasswordPolicy.MinimumPasswordLength).toBe(12);
      const none = await rest('GET', '/v1/account/password-policy', 'reset-bob');
      expect(none.status).toBe(200);
      passwordPolicy = undefined;
      expect((await json(await rest('GET', '/v1/account/password-policy', 'reset-bob'))).code).toBe('NoSuchEntity');
      expect((await json(await rest('GET', '/v1/users/ann', 'reset-bob'))).code).toBe('PasswordResetRequired');
    });
  });
});
