import { describeWithServices } from '@iam/testing';
import { body } from './support/processes';
import { ACCOUNT, type Credentials, expectOk, restDriver, signedFetch, signedQuery, startDistributedSystem, type Driver, type RunningSystem } from './support/gateway';
import { tutorialStory } from './support/gateway-story';

jest.setTimeout(180_000);

/**
 * The REST front under /v1: the same tutorial and error cases as the Query API (one
 * application layer behind both), then what only REST has: sessions, aggregated views,
 * who-can, decisions for applications, cursors, OpenAPI.
 */
describeWithServices('gateway: the tutorial through the REST API', () => {
  let system: RunningSystem;
  let call: Driver;

  beforeAll(async () => {
    system = await startDistributedSystem();
    call = restDriver(system.base);
  });

  afterAll(async () => {
    await system?.stop();
  });

  tutorialStory('rest', () => ({ call, root: system.root }));

  const json = (method: string, path: string, payload?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${system.base}${path}`, {
      method,
      headers: { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
    });
  const asRoot = (method: string, target: string, payload?: unknown) => {
    const [path, search = ''] = target.split('?');
    return signedFetch(system.base, system.root, {
      method,
      path,
      query: Object.fromEntries(new URLSearchParams(search)),
      ...(payload !== undefined ? { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } } : {}),
    });
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const signIn = async (credentials: Record<string, unknown>) => {
    const response = await json('POST', '/v1/sessions', credentials);
    return { response, session: await body(response) };
  };

  describe('sessions', () => {
    it('signs a user in with its password; the token authenticates; signing out ends it', async () => {
      const { response, session } = await signIn({ UserName: 'admin', Password: 'Adm1n-Passw0rd!' });
      expect(response.status).toBe(201);
      expect(session).toMatchObject({ PasswordChangeOnly: false, Principal: { Type: 'user', UserName: 'admin', Arn: `arn:aws:iam::${ACCOUNT}:user/staff/admin` } });
      const me = await json('GET', '/v1/me', undefined, bearer(session.SessionToken));
      expect(me.status).toBe(200);
      expect((await body(me)).User.UserName).toBe('admin');

      const out = await json('DELETE', '/v1/sessions/current', undefined, bearer(session.SessionToken));
      expect(out.status).toBe(204);
      const after = await json('GET', '/v1/me', undefined, bearer(session.SessionToken));
      expect(after.status).toBe(403);
      expect((await body(after)).code).toBe('InvalidToken');
    });

    it('signs root in with IAM_ROOT_PASSWORD', async () => {
      const { response, session } = await signIn({ Root: true, Password: system.rootPassword });
      expect(response.status).toBe(201);
      expect(session.Principal).toMatchObject({ Type: 'root', Arn: `arn:aws:iam::${ACCOUNT}:root` });
      const users = await json('GET', '/v1/users', undefined, bearer(session.SessionToken));
      expect(users.status).toBe(200);
    });

    it('refuses a wrong password with SignInFailed (401)', async () => {
      const { response, session } = await signIn({ UserName: 'admin', Password: 'wrong-Passw0rd!' });
      expect(response.status).toBe(401);
      expect(session.code).toBe('SignInFailed');
    });

    it('lets a session whose password must be reset only change it, then sign in again', async () => {
      expect((await asRoot('PUT', '/v1/account/password-policy', { MinimumPasswordLength: 10, AllowUsersToChangePassword: true })).status).toBe(204);
      expect((await asRoot('POST', '/v1/users', { UserName: 'newbie' })).status).toBe(201);
      expect((await asRoot('POST', '/v1/users/newbie/login-profile', { Password: 'First-Passw0rd!', PasswordResetRequired: true })).status).toBe(201);

      const { session } = await signIn({ UserName: 'newbie', Password: 'First-Passw0rd!' });
      expect(session.PasswordChangeOnly).toBe(true);
      const refused = await json('GET', '/v1/me', undefined, bearer(session.SessionToken));
      expect(refused.status).toBe(403);
      expect((await body(refused)).code).toBe('PasswordResetRequired');

      const changed = await json('POST', '/v1/me/password', { OldPassword: 'First-Passw0rd!', NewPassword: 'Second-Passw0rd!' }, bearer(session.SessionToken));
      expect(changed.status).toBe(204);
      const again = await signIn({ UserName: 'newbie', Password: 'Second-Passw0rd!' });
      expect(again.session.PasswordChangeOnly).toBe(false);
      // Allowed to change its password, but nothing else: no policy grants newbie anything.
      const me = await json('GET', '/v1/me', undefined, bearer(again.session.SessionToken));
      expect(me.status).toBe(403);
      expect((await body(me)).code).toBe('AccessDenied');
    });
  });

  describe('the REST conventions', () => {
    it('answers MissingAuthenticationToken (403) without credentials, with the error body and request id', async () => {
      const response = await json('GET', '/v1/users');
      expect(response.status).toBe(403);
      const error = await body(response);
      expect(error).toEqual({ code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token', requestId: response.headers.get('x-amzn-requestid') });
    });

    it('answers InvalidAction (400) to a method a route does not take, NotFound (404) to an unknown route', async () => {
      const method = await asRoot('POST', '/v1/users/dave/groups', {});
      expect(method.status).toBe(400);
      expect(await body(method)).toMatchObject({ code: 'InvalidAction', message: 'POST is not allowed on /v1/users/dave/groups; use GET.' });
      const unknown = await asRoot('GET', '/v1/roles');
      expect(unknown.status).toBe(404);
      expect((await body(unknown)).code).toBe('NotFound');
    });

    it('pages with cursor and limit, answering nextCursor while more remain', async () => {
      const first = await body(await asRoot('GET', '/v1/users?limit=2'));
      expect(first.Users).toHaveLength(2);
      expect(first.IsTruncated).toBe(true);
      expect(typeof first.nextCursor).toBe('string');
      const seen = first.Users.map((u: { UserName: string }) => u.UserName);
      let cursor: string | undefined = first.nextCursor;
      while (cursor) {
        const page = await body(await asRoot('GET', `/v1/users?limit=2&cursor=${encodeURIComponent(cursor)}`));
        seen.push(...page.Users.map((u: { UserName: string }) => u.UserName));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(['admin', 'dave', 'newbie']);
    });

    it('addresses a policy by its URL-encoded ARN', async () => {
      const arn = `arn:aws:iam::${ACCOUNT}:policy/ReadUsers`;
      const policy = await asRoot('GET', `/v1/policies/${encodeURIComponent(arn)}`);
      expect(policy.status).toBe(200);
      expect((await body(policy)).Policy).toMatchObject({ PolicyName: 'ReadUsers', Arn: arn, DefaultVersionId: 'v1' });
      const version = await body(await asRoot('GET', `/v1/policies/${encodeURIComponent(arn)}/versions/v1`));
      expect(JSON.parse(version.PolicyVersion.Document)).toMatchObject({ Version: '2012-10-17' });
    });

    it("details a MalformedPolicyDocument with every problem at its line (REST only: the Query API answers IAM's one message)", async () => {
      const document = [
        '{',
        '  "Version": "2012-10-17",',
        '  "Statement": [',
        '    { "Effect": "Allow", "Action": "iam:GetUser", "Resource": "*" },',
        '    {',
        '      "Effect": "Allow",',
        '      "Resource": "*"',
        '    },',
        '    { "Effect": "Allow", "Action": "iam", "Resource": "*" }',
        '  ]',
        '}',
      ].join('\n');
      const problems = [
        { Message: 'statement is missing Action or NotAction', Path: 'Statement[1]', Line: 5, Column: 5 },
        { Message: 'action "iam" must have the form service:action (e.g. s3:GetObject) or be "*"', Path: 'Statement[2].Action', Line: 9, Column: 26 },
      ];
      const readUsers = encodeURIComponent(`arn:aws:iam::${ACCOUNT}:policy/ReadUsers`);
      const versions = async () => (await body(await asRoot('GET', `/v1/policies/${readUsers}/versions`))).Versions.length;
      const versionsBefore = await versions();
      for (const [method, path, payload] of [
        ['POST', '/v1/policies', { PolicyName: 'Malformed', PolicyDocument: document }],
        ['POST', `/v1/policies/${readUsers}/versions`, { PolicyDocument: document }],
        ['PUT', '/v1/users/dave/policies/Malformed', { PolicyDocument: document }],
        ['PUT', '/v1/groups/developers/policies/Malformed', { PolicyDocument: document }],
      ] as const) {
        const response = await asRoot(method, path, payload);
        expect({ path, status: response.status }).toEqual({ path, status: 400 });
        expect(await body(response)).toEqual({
          code: 'MalformedPolicyDocument',
          message: 'Policy statement must contain actions.',
          requestId: response.headers.get('x-amzn-requestid'),
          Problems: problems,
        });
      }
      // Nothing was stored.
      expect((await asRoot('GET', `/v1/policies/${encodeURIComponent(`arn:aws:iam::${ACCOUNT}:policy/Malformed`)}`)).status).toBe(404);
      expect(await versions()).toBe(versionsBefore);
      expect((await asRoot('GET', '/v1/users/dave/policies/Malformed')).status).toBe(404);
      expect((await asRoot('GET', '/v1/groups/developers/policies/Malformed')).status).toBe(404);

      const query = await signedQuery(system.base, system.root, { Action: 'CreatePolicy', Version: '2010-05-08', PolicyName: 'Malformed', PolicyDocument: document });
      expect(query.status).toBe(400);
      const xml = await query.text();
      expect(xml).toContain('<Code>MalformedPolicyDocument</Code>');
      expect(xml).toContain('<Message>Policy statement must contain actions.</Message>');
      expect(xml).not.toMatch(/Problem|Statement\[1\]|missing Action/);
    });

    it('serves /openapi.json (every route, generated from the operation table) and /docs without credentials', async () => {
      const document = await body(await json('GET', '/openapi.json'));
      expect(document.openapi).toBe('3.1.0');
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/users', '/v1/users/{UserName}/overview', '/v1/who-can', '/v1/authorize', '/v1/sessions']));
      expect(document.paths['/v1/sessions'].post.security).toEqual([]);
      expect((await json('GET', '/docs')).status).toBe(200);
    });
  });

  describe('what the console reads', () => {
    it("the account's alias, by which the console names the account; a principal that may not list it gets AccessDenied (the console then shows the id)", async () => {
      const { session } = await signIn({ UserName: 'admin', Password: 'Adm1n-Passw0rd!' });
      const aliases = () => json('GET', '/v1/account/aliases', undefined, bearer(session.SessionToken));
      expect(await body(await aliases())).toEqual({ AccountAliases: [], IsTruncated: false });
      expect((await json('PUT', '/v1/account/alias', { AccountAlias: 'example-corp' }, bearer(session.SessionToken))).status).toBe(204);
      const listed = await aliases();
      expect(listed.status).toBe(200);
      expect(await body(listed)).toEqual({ AccountAliases: ['example-corp'], IsTruncated: false });

      const newbie = await signIn({ UserName: 'newbie', Password: 'Second-Passw0rd!' });
      const denied = await json('GET', '/v1/account/aliases', undefined, bearer(newbie.session.SessionToken));
      expect(denied.status).toBe(403);
      expect((await body(denied)).code).toBe('AccessDenied');

      expect((await json('DELETE', '/v1/account/alias/example-corp', undefined, bearer(session.SessionToken))).status).toBe(204);
      expect(await body(await aliases())).toEqual({ AccountAliases: [], IsTruncated: false });
    });

    it('the password policy after an empty update: AWS defaults, without HardExpiry, MaxPasswordAge or PasswordReusePrevention', async () => {
      expect((await asRoot('PUT', '/v1/account/password-policy', {})).status).toBe(204);
      const policy = await asRoot('GET', '/v1/account/password-policy');
      expect(policy.status).toBe(200);
      expect(await body(policy)).toEqual({
        PasswordPolicy: {
          MinimumPasswordLength: 6,
          RequireSymbols: false,
          RequireNumbers: false,
          RequireUppercaseCharacters: false,
          RequireLowercaseCharacters: false,
          AllowUsersToChangePassword: false,
          ExpirePasswords: false,
        },
      });
    });
  });

  describe('views and decisions', () => {
    let dave: Credentials;

    beforeAll(async () => {
      const key = await expectOk(call(system.root, 'CreateAccessKey', { UserName: 'dave' }));
      const k = key['AccessKey'] as { AccessKeyId: string; SecretAccessKey: string };
      dave = { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey };
    });

    it('a user overview: groups, keys, login profile, policies and effective permissions in one reply', async () => {
      const response = await asRoot('GET', '/v1/users/dave/overview');
      expect(response.status).toBe(200);
      const view = await body(response);
      expect(view.User).toMatchObject({ UserName: 'dave' });
      expect(view.Groups.map((g: { GroupName: string }) => g.GroupName)).toEqual(['security']);
      expect(view.AccessKeys.length).toBeGreaterThanOrEqual(1);
      expect(view.LoginProfile).toEqual({ Enabled: false });
      expect(view.AttachedPolicies).toEqual([]);
      expect(view.EffectivePermissions).toEqual([
        expect.objectContaining({ Via: 'group', GroupName: 'security', PolicyName: 'audit', PolicyType: 'group' }),
      ]);
    });

    it('a group overview: members and policies', async () => {
      const view = await body(await asRoot('GET', '/v1/groups/developers/overview'));
      expect(view.Group).toMatchObject({ GroupName: 'developers' });
      expect(view.Users).toEqual([]);
      expect(view.AttachedPolicies).toEqual([{ PolicyName: 'ReadUsers', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/ReadUsers` }]);
    });

    it('who can list groups: the admin through admins, the developer through security', async () => {
      const response = await asRoot('GET', `/v1/who-can?action=iam:ListGroups&resource=${encodeURIComponent('*')}`);
      expect(response.status).toBe(200);
      const view = await body(response);
      const verdicts = Object.fromEntries(view.Principals.map((p: { UserName: string; Verdict: string }) => [p.UserName, p.Verdict]));
      expect(verdicts).toEqual({ admin: 'allowed', dave: 'allowed' });
    });

    it('decides for applications: myapp actions, the matched statement, and who may ask', async () => {
      const ask = { Principal: 'dave', Action: 'myapp:ReadReport', Resource: 'arn:aws:myapp:::report/7' };
      const before = await body(await asRoot('POST', '/v1/authorize', ask));
      expect(before).toMatchObject({ Principal: `arn:aws:iam::${ACCOUNT}:user/dave`, Decision: 'implicitDeny', MatchedStatements: [] });

      expect(
        (
          await asRoot('PUT', '/v1/users/dave/policies/reports', {
            PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Reports', Effect: 'Allow', Action: 'myapp:Read*', Resource: 'arn:aws:myapp:::report/*' }] }),
          })
        ).status,
      ).toBe(204);
      const after = await body(await asRoot('POST', '/v1/authorize', { ...ask, Principal: `arn:aws:iam::${ACCOUNT}:user/dave` }));
      expect(after.Decision).toBe('allowed');
      expect(after.MatchedStatements).toEqual([expect.objectContaining({ PolicyName: 'reports', Sid: 'Reports', Effect: 'Allow' })]);

      const byDave = await signedFetch(system.base, dave, {
        method: 'POST',
        path: '/v1/authorize',
        body: JSON.stringify(ask),
        headers: { 'content-type': 'application/json' },
      });
      expect(byDave.status).toBe(403);
      expect((await body(byDave)).message).toBe(
        `User: arn:aws:iam::${ACCOUNT}:user/dave is not authorized to perform: iam:SimulatePrincipalPolicy on resource: arn:aws:iam::${ACCOUNT}:user/dave because no identity-based policy allows the iam:SimulatePrincipalPolicy action`,
      );
    });

    it('puts the request context into decisions: ${aws:username}, and aws:SourceIp that a client cannot forge', async () => {
      const policy = {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` },
          { Effect: 'Allow', Action: 'iam:ListAccessKeys', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
        ],
      };
      expect((await asRoot('PUT', '/v1/users/dave/policies/self', { PolicyDocument: policy })).status).toBe(204);
      const asDave = (path: string, headers: Record<string, string> = {}) => signedFetch(system.base, dave, { method: 'GET', path, headers });

      expect((await asDave('/v1/me')).status).toBe(200);
      expect((await asDave('/v1/users/dave')).status).toBe(200);
      expect((await asDave('/v1/users/admin')).status).toBe(403);

      // From 127.0.0.1, not 10.0.0.0/8; X-Forwarded-For is not believed from an untrusted peer.
      const keys = await asDave('/v1/users/dave/access-keys', { 'x-forwarded-for': '10.1.2.3' });
      expect(keys.status).toBe(403);
      expect((await body(keys)).message).toContain('iam:ListAccessKeys');
      expect((await asRoot('DELETE', '/v1/users/dave/policies/self')).status).toBe(204);
    });

    it('answers 503 for a view whose part fails, never a partial view', async () => {
      await system.processes['authorization'].stop('SIGKILL');
      const response = await asRoot('GET', '/v1/users/dave/overview');
      expect(response.status).toBe(503);
      const error = await body(response);
      expect(error.code).toBe('ServiceUnavailable');
      expect(error.message).toMatch(/^The user overview is unavailable: its part '\w+' failed/);
      // And a user's call, whose decision cannot be made, is not allowed.
      const denied = await signedFetch(system.base, dave, { method: 'GET', path: '/v1/groups' });
      expect(denied.status).toBe(503);
    });
  });
});
