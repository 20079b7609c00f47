import { AuthorizationPatterns, DirectoryPatterns, IdentityPatterns as P } from '@iam/contracts';
import { describeWithServices, memoryLogger, startStubService } from '@iam/testing';
import { failure, IdentityUnderTest, newMasterKey, startIdentity } from '../test-support/harness';
import { prepare, presign, signWithHeader, verificationOf } from '../test-support/sigv4';
import { rotateMasterKey } from './access-keys/rotate-master-key';

/**
 * Runs every identity operation, successes and failures, with the service
 * logging at debug level, and looks for every password, secret access key,
 * derived signing key, session token and master key used in every line it wrote.
 */
describeWithServices('no secret in any log line', () => {
  const log = memoryLogger('identity');
  const secrets = new Set<string>();
  const remember = <T extends string>(secret: T): T => {
    secrets.add(secret);
    return secret;
  };

  const rootPassword = remember('Root-Log-Password-1');
  const rootSecret = remember('RootLogSecret/0123456789+abcdefghijklmnop');
  const master = remember(newMasterKey());
  const nextMaster = remember(newMasterKey());
  let identity: IdentityUnderTest;
  let stubs: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    identity = await startIdentity({
      logger: log.logger,
      env: {
        LOG_LEVEL: 'debug',
        IAM_MASTER_KEY: master,
        IAM_ROOT_ACCESS_KEY_ID: 'AKIAROOTLOGROOTLOG00',
        IAM_ROOT_SECRET_ACCESS_KEY: rootSecret,
        IAM_ROOT_PASSWORD: rootPassword,
      },
      options: { keyUsageFlushMs: 20 },
    });
    stubs = [
      await startStubService(identity.transport, 'directory', {
        [DirectoryPatterns.BeginUserDelete]: () => ({ MembershipCount: 0 }),
        [DirectoryPatterns.CancelUserDelete]: () => ({}),
      }),
      await startStubService(identity.transport, 'authorization', {
        [AuthorizationPatterns.BeginPrincipalDelete]: () => ({ AttachedPolicyCount: 0, InlinePolicyCount: 0 }),
        [AuthorizationPatterns.CancelPrincipalDelete]: () => ({}),
      }),
    ];
  });

  afterAll(async () => {
    for (const stub of stubs) await stub.close();
    await identity?.close();
  });

  it('runs every operation and finds none of the secrets in the logs', async () => {
    const bus = identity.bus;
    const ip = '198.51.100.99';
    const first = remember('First-Log-Password-1');
    const second = remember('Second-Log-Password-2');
    const third = remember('Third-Log-Password-3');

    // Users.
    const { User } = await bus.send(P.CreateUser, { UserName: 'logged', Tags: [{ Key: 'k', Value: 'v' }] });
    await bus.send(P.GetUser, { UserName: 'logged' });
    await bus.send(P.GetUser, { Caller: { Type: 'user', UserId: User.UserId } });
    await bus.send(P.GetRootUser, {});
    await bus.send(P.ListUsers, { MaxItems: 1 });
    await bus.send(P.UpdateUser, { UserName: 'logged', NewPath: '/logs/' });
    await bus.send(P.TagUser, { UserName: 'logged', Tags: [{ Key: 'k2', Value: 'v2' }] });
    await bus.send(P.UntagUser, { UserName: 'logged', TagKeys: ['k2'] });
    await bus.send(P.ListUserTags, { UserName: 'logged' });
    await bus.send(P.ResolveUser, { UserName: 'logged' });
    await bus.send(P.ResolveUsers, { UserIds: [User.UserId] });

    // Password policy and login profile.
    await bus.send(P.UpdateAccountPasswordPolicy, { MinimumPasswordLength: 12, PasswordReusePrevention: 3 });
    await bus.send(P.GetAccountPasswordPolicy, {});
    await failure(bus.send(P.CreateLoginProfile, { UserName: 'logged', Password: remember('short-Pw1!') }));
    await failure(bus.send(P.CreateLoginProfile, { UserName: 'logged', Password: remember(`too-long-${'x'.repeat(130)}`) }));
    await bus.send(P.CreateLoginProfile, { UserName: 'logged', Password: first, PasswordResetRequired: true });
    await bus.send(P.GetLoginProfile, { UserName: 'logged' });

    // Sessions, including failures and a lockout.
    const restricted = await bus.send(P.SignIn, { UserName: 'logged', Password: first, SourceIp: ip });
    remember(restricted.SessionToken);
    await bus.send(P.VerifySession, { SessionToken: restricted.SessionToken });
    for (let i = 0; i < 6; i++) await failure(bus.send(P.SignIn, { UserName: 'logged', Password: remember(`Wrong-Guess-${i}-x`), SourceIp: ip }));
    await failure(bus.send(P.SignIn, { UserName: 'nobody-here', Password: remember('Unknown-User-Pw-1'), SourceIp: ip }));
    await failure(bus.send(P.VerifySession, { SessionToken: remember('not-a-real-session-token-0123456789abcdef') }));
    await failure(bus.send(P.VerifySession, { SessionToken: remember('tiny-token') }));
    await identity.sql('DELETE FROM identity.sign_in_failures');

    // Password changes.
    await failure(bus.send(P.ChangePassword, { Caller: { Type: 'user', UserId: User.UserId }, OldPassword: remember('Not-The-Old-One-1'), NewPassword: second }));
    await bus.send(P.ChangePassword, { Caller: { Type: 'user', UserId: User.UserId }, OldPassword: first, NewPassword: second });
    await failure(bus.send(P.ChangePassword, { Caller: { Type: 'user', UserId: User.UserId }, OldPassword: second, NewPassword: first }));
    await bus.send(P.UpdateLoginProfile, { UserName: 'logged', Password: third, PasswordResetRequired: false });
    const session = await bus.send(P.SignIn, { UserName: 'logged', Password: third, SourceIp: ip });
    remember(session.SessionToken);
    await bus.send(P.VerifySession, { SessionToken: session.SessionToken });
    await bus.send(P.SignOut, { SessionToken: session.SessionToken });
    const rootSession = await bus.send(P.SignIn, { Root: true, Password: rootPassword, SourceIp: ip });
    remember(rootSession.SessionToken);
    await bus.send(P.VerifySession, { SessionToken: rootSession.SessionToken });
    await failure(bus.send(P.ChangePassword, { Caller: { Type: 'root' }, OldPassword: rootPassword, NewPassword: remember('New-Root-Password-9') }));

    // Access keys and signatures.
    const { AccessKey } = await bus.send(P.CreateAccessKey, { UserName: 'logged' });
    remember(AccessKey.SecretAccessKey);
    const credentials = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
    await bus.send(P.ListAccessKeys, { UserName: 'logged' });
    await bus.send(P.VerifySignature, verificationOf(prepare(await signWithHeader(credentials, { query: { Action: 'ListUsers' } }))));
    await bus.send(P.VerifySignature, verificationOf(prepare(await presign(credentials))));
    await bus.send(P.VerifySignature, verificationOf(prepare(await signWithHeader({ accessKeyId: 'AKIAROOTLOGROOTLOG00', secretAccessKey: rootSecret }))));
    const forgedSecret = remember('Forged/Secret+0123456789abcdefghijklmnopq');
    await failure(bus.send(P.VerifySignature, verificationOf(prepare(await signWithHeader({ ...credentials, secretAccessKey: forgedSecret })))));
    const scope = { Date: '20261128', Region: 'us-east-1', Service: 'iam' };
    remember((await bus.send(P.GetSigningKey, { AccessKeyId: AccessKey.AccessKeyId, Scope: scope })).SigningKey);
    remember((await bus.send(P.GetSigningKey, { AccessKeyId: 'AKIAROOTLOGROOTLOG00', Scope: scope })).SigningKey);
    await failure(bus.send(P.GetSigningKey, { AccessKeyId: 'AKIAUNKNOWNLOGLOG000', Scope: scope }));
    await bus.send(P.RecordAccessKeyUse, { Uses: [{ AccessKeyId: AccessKey.AccessKeyId, At: new Date().toISOString(), Service: 'iam', Region: 'us-east-1' }] });
    await bus.send(P.UpdateAccessKey, { UserName: 'logged', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
    await failure(bus.send(P.VerifySignature, verificationOf(prepare(await signWithHeader(credentials)))));
    await failure(bus.send(P.GetSigningKey, { AccessKeyId: AccessKey.AccessKeyId, Scope: scope }));
    await bus.send(P.GetAccessKeyLastUsed, { AccessKeyId: AccessKey.AccessKeyId });

    // Master key rotation, and a start-up refused for a missing key.
    await identity.restart({ options: { masterKey: nextMaster, previousMasterKey: master }, logger: log.logger });
    await rotateMasterKey({ databaseUrl: identity.database.url, currentKey: nextMaster, previousKey: master });
    await identity.restart({ options: { masterKey: undefined, previousMasterKey: undefined }, logger: log.logger }).catch(() => undefined);
    await identity.restart({ options: { masterKey: nextMaster }, logger: log.logger });

    // Tear down.
    await bus.send(P.DeleteAccessKey, { UserName: 'logged', AccessKeyId: AccessKey.AccessKeyId });
    await bus.send(P.DeleteLoginProfile, { UserName: 'logged' });
    await bus.send(P.DeleteAccountPasswordPolicy, {});
    await bus.send(P.DeleteUser, { UserName: 'logged' });

    const lines = log.lines;
    expect(lines.length).toBeGreaterThan(60);
    expect(lines.some((line) => line.includes('"level":"debug"') || line.includes('"level":"info"'))).toBe(true);
    expect(lines.filter((line) => line.includes('identity.session.sign-in')).length).toBeGreaterThan(5);
    const leaks = [...secrets].flatMap((secret) =>
      lines.filter((line) => line.includes(secret) || line.includes(JSON.stringify(secret).slice(1, -1))).map((line) => ({ secret, line })),
    );
    expect(leaks).toEqual([]);
  });
});
