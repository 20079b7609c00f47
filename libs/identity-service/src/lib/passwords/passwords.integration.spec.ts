import { IdentityEvents, IdentityPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import {
  ACCOUNT_ID,
  eventually,
  failure,
  FakeClock,
  IdentityUnderTest,
  listenToIdentityEvents,
  startIdentity,
} from '../../test-support/harness';

const DAY = 86_400_000;
const GOOD = 'Correct-Horse-7';

describeWithServices('console passwords and the account password policy', () => {
  const clock = new FakeClock();
  let identity: IdentityUnderTest;
  let listener: Awaited<ReturnType<typeof listenToIdentityEvents>>;

  beforeAll(async () => {
    identity = await startIdentity({ ports: { clock } });
    listener = await listenToIdentityEvents(identity.transport);
  });

  afterAll(async () => {
    await listener?.close();
    await identity?.close();
  });

  afterEach(async () => {
    await identity.sql('DELETE FROM identity.password_policy');
  });

  const bus = () => identity.bus;
  let counter = 0;
  const newUser = async (prefix = 'pw') => (await bus().send(P.CreateUser, { UserName: `${prefix}-${++counter}` })).User;
  const signIn = (UserName: string, Password: string) => bus().send(P.SignIn, { UserName, Password, SourceIp: '198.51.100.7' });
  const caller = (UserId: string) => ({ Type: 'user' as const, UserId });

  describe('login profiles', () => {
    it('creates one, never returning or storing the password, and reads it back', async () => {
      const user = await newUser();
      const created = await bus().send(P.CreateLoginProfile, { UserName: user.UserName.toUpperCase(), Password: GOOD, PasswordResetRequired: true });
      expect(created).toEqual({ LoginProfile: { UserName: user.UserName, CreateDate: clock.now().toISOString(), PasswordResetRequired: true } });
      expect(JSON.stringify(created)).not.toContain(GOOD);
      await expect(bus().send(P.GetLoginProfile, { UserName: user.UserName })).resolves.toEqual(created);

      const [stored] = await identity.sql<{ password_hash: string }>('SELECT password_hash FROM identity.login_profiles WHERE user_id = $1', [user.UserId]);
      expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$/);
      expect(stored.password_hash).not.toContain(GOOD);
    });

    it('refuses a second profile, unknown users and missing profiles with AWS messages', async () => {
      const user = await newUser();
      await bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: GOOD });
      expect(await failure(bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: GOOD }))).toEqual({
        code: 'EntityAlreadyExists',
        message: `Login Profile for user ${user.UserName} already exists.`,
      });
      expect((await failure(bus().send(P.CreateLoginProfile, { UserName: 'ghost', Password: GOOD }))).code).toBe('NoSuchEntity');
      const bare = await newUser();
      for (const pattern of [P.GetLoginProfile, P.DeleteLoginProfile] as const) {
        expect(await failure(bus().send(pattern, { UserName: bare.UserName }))).toEqual({
          code: 'NoSuchEntity',
          message: `Login Profile for User ${bare.UserName} cannot be found.`,
        });
      }
      expect((await failure(bus().send(P.UpdateLoginProfile, { UserName: bare.UserName, PasswordResetRequired: true }))).code).toBe('NoSuchEntity');
    });

    it.each([
      ['too short', 'Ab1!', 'Password should have a minimum length of 8'],
      [
        'only two kinds of characters',
        'abcdefgh1',
        'Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol',
      ],
    ])("applies AWS's default rules when no policy is set: %s", async (_case, password, message) => {
      const user = await newUser();
      expect(await failure(bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: password }))).toEqual({
        code: 'PasswordPolicyViolation',
        message,
      });
    });

    it('refuses the user name as password under the default rules', async () => {
      const { User } = await bus().send(P.CreateUser, { UserName: 'Name-Is-Pass-1' });
      expect((await failure(bus().send(P.CreateLoginProfile, { UserName: User.UserName, Password: 'name-is-pass-1' }))).message).toBe(
        'Password should not be identical to the account ID or the user name',
      );
    });

    it('refuses passwords outside the contract without ever echoing them', async () => {
      const user = await newUser();
      const long = `Aa1!${'x'.repeat(125)}`;
      const tooLong = await failure(bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: long }));
      expect(tooLong).toEqual({
        code: 'ValidationError',
        message: "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 128",
      });
      const exotic = 'Pässwörd-✓-1';
      const outside = await failure(bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: exotic }));
      expect(outside.code).toBe('ValidationError');
      expect(outside.message).not.toContain(exotic);
      const missing = await failure(bus().send(P.CreateLoginProfile, { UserName: user.UserName } as never));
      expect(missing.message).toBe("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
      const notText = await failure(bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: 12345678 } as never));
      expect(notText.message).toBe("1 validation error detected: Value at 'password' failed to satisfy constraint: Member must be of type string");
    });

    it('resets a password: the old one stops working, sessions end, the flag is set, credentials.revoked is published', async () => {
      const user = await newUser();
      await bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: GOOD });
      const session = await signIn(user.UserName, GOOD);

      await bus().send(P.UpdateLoginProfile, { UserName: user.UserName, Password: 'Battery-Staple-8', PasswordResetRequired: true });
      expect((await failure(bus().send(P.VerifySession, { SessionToken: session.SessionToken }))).code).toBe('InvalidToken');
      expect((await failure(signIn(user.UserName, GOOD))).code).toBe('SignInFailed');
      const again = await signIn(user.UserName, 'Battery-Staple-8');
      expect(again.PasswordChangeOnly).toBe(true);
      expect((await bus().send(P.GetLoginProfile, { UserName: user.UserName })).LoginProfile.PasswordResetRequired).toBe(true);
      expect(
        await eventually(() =>
          listener.events.some((e) => e.event === IdentityEvents.CredentialsRevoked && e.payload['UserId'] === user.UserId && e.payload['Reason'] === 'password'),
        ),
      ).toBe(true);
    });

    it('changes only the flag without ending sessions', async () => {
      const user = await newUser();
      await bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: GOOD, PasswordResetRequired: true });
      const session = await signIn(user.UserName, GOOD);
      expect(session.PasswordChangeOnly).toBe(true);
      await bus().send(P.UpdateLoginProfile, { UserName: user.UserName, PasswordResetRequired: false });
      expect((await bus().send(P.VerifySession, { SessionToken: session.SessionToken })).PasswordChangeOnly).toBe(false);
    });

    it('checks an administrator reset against the policy too', async () => {
      const user = await newUser();
      await bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: GOOD });
      expect((await failure(bus().send(P.UpdateLoginProfile, { UserName: user.UserName, Password: 'short' }))).code).toBe('PasswordPolicyViolation');
      await expect(signIn(user.UserName, GOOD)).resolves.toBeDefined();
    });

    it('deletes a profile: sessions end at once, sign-in fails, credentials.revoked is published', async () => {
      const user = await newUser();
      await bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: GOOD });
      const session = await signIn(user.UserName, GOOD);
      await bus().send(P.DeleteLoginProfile, { UserName: user.UserName });
      expect((await failure(bus().send(P.VerifySession, { SessionToken: session.SessionToken }))).code).toBe('InvalidToken');
      expect((await failure(signIn(user.UserName, GOOD))).code).toBe('SignInFailed');
      expect(
        await eventually(() =>
          listener.events.some((e) => e.event === IdentityEvents.CredentialsRevoked && e.payload['UserId'] === user.UserId && e.payload['Reason'] === 'login-profile'),
        ),
      ).toBe(true);
    });
  });

  describe('the account password policy', () => {
    it('answers NoSuchEntity while none is set, as AWS', async () => {
      expect(await failure(bus().send(P.GetAccountPasswordPolicy, {}))).toEqual({
        code: 'NoSuchEntity',
        message: `The Password Policy with domain name ${ACCOUNT_ID} cannot be found.`,
      });
      expect(await failure(bus().send(P.DeleteAccountPasswordPolicy, {}))).toMatchObject({
        code: 'NoSuchEntity',
        message: 'The account policy with name PasswordPolicy cannot be found.',
      });
    });

    it("fills omitted fields with AWS's defaults and leaves out HardExpiry, MaxPasswordAge and PasswordReusePrevention, as AWS", async () => {
      await bus().send(P.UpdateAccountPasswordPolicy, {});
      const { PasswordPolicy } = await bus().send(P.GetAccountPasswordPolicy, {});
      expect(PasswordPolicy).toStrictEqual({
        MinimumPasswordLength: 6,
        RequireSymbols: false,
        RequireNumbers: false,
        RequireUppercaseCharacters: false,
        RequireLowercaseCharacters: false,
        AllowUsersToChangePassword: false,
        ExpirePasswords: false,
      });
      expect(Object.keys(PasswordPolicy)).not.toContain('HardExpiry');
    });

    it('shows HardExpiry when it was given, false as well as true', async () => {
      await bus().send(P.UpdateAccountPasswordPolicy, { HardExpiry: false });
      expect((await bus().send(P.GetAccountPasswordPolicy, {})).PasswordPolicy.HardExpiry).toBe(false);
      await bus().send(P.UpdateAccountPasswordPolicy, { MaxPasswordAge: 60, HardExpiry: true });
      expect((await bus().send(P.GetAccountPasswordPolicy, {})).PasswordPolicy).toMatchObject({ ExpirePasswords: true, MaxPasswordAge: 60, HardExpiry: true });
      // Replacing the policy without it unsets it again.
      await bus().send(P.UpdateAccountPasswordPolicy, { MaxPasswordAge: 60 });
      expect('HardExpiry' in (await bus().send(P.GetAccountPasswordPolicy, {})).PasswordPolicy).toBe(false);
    });

    it('stores every field, replaces the whole policy on update, and deletes it', async () => {
      const full = {
        MinimumPasswordLength: 14,
        RequireSymbols: true,
        RequireNumbers: true,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
        AllowUsersToChangePassword: true,
        MaxPasswordAge: 90,
        PasswordReusePrevention: 24,
        HardExpiry: true,
      };
      await bus().send(P.UpdateAccountPasswordPolicy, full);
      await expect(bus().send(P.GetAccountPasswordPolicy, {})).resolves.toEqual({ PasswordPolicy: { ...full, ExpirePasswords: true } });
      await bus().send(P.UpdateAccountPasswordPolicy, { RequireSymbols: true });
      expect((await bus().send(P.GetAccountPasswordPolicy, {})).PasswordPolicy).toEqual(
        expect.objectContaining({ MinimumPasswordLength: 6, RequireSymbols: true, RequireNumbers: false, ExpirePasswords: false }),
      );
      await bus().send(P.DeleteAccountPasswordPolicy, {});
      expect((await failure(bus().send(P.GetAccountPasswordPolicy, {}))).code).toBe('NoSuchEntity');
    });

    it.each([
      ['MinimumPasswordLength', 5, 'Member must have value greater than or equal to 6'],
      ['MinimumPasswordLength', 129, 'Member must have value less than or equal to 128'],
      ['MaxPasswordAge', 0, 'Member must have value greater than or equal to 1'],
      ['MaxPasswordAge', 1096, 'Member must have value less than or equal to 1095'],
      ['PasswordReusePrevention', 25, 'Member must have value less than or equal to 24'],
    ])('refuses %s = %s', async (field, value, reason) => {
      const error = await failure(bus().send(P.UpdateAccountPasswordPolicy, { [field]: value }));
      expect(error.code).toBe('ValidationError');
      expect(error.message).toContain(reason);
    });

    it('enforces each rule on every new password, naming the rules broken', async () => {
      await bus().send(P.UpdateAccountPasswordPolicy, {
        MinimumPasswordLength: 10,
        RequireSymbols: true,
        RequireNumbers: true,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
      });
      const user = await newUser();
      const cases: Array<[string, string]> = [
        ['Abcdefgh1!', ''],
        ['Abcdef1!', 'Password should have a minimum length of 10'],
        ['abcdefgh1!', 'Password should have at least one uppercase letter'],
        ['ABCDEFGH1!', 'Password should have at least one lowercase letter'],
        ['Abcdefghi!', 'Password should have at least one number'],
        ['Abcdefghi1', 'Password should have at least one symbol'],
        ['abc', 'Password should have a minimum length of 10, Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol'],
      ];
      for (const [password, message] of cases.slice(1)) {
        expect(await failure(bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: password }))).toEqual({
          code: 'PasswordPolicyViolation',
          message,
        });
      }
      await expect(bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: cases[0][0] })).resolves.toBeDefined();
    });

    it('prevents reusing the last N passwords (the current one included)', async () => {
      await bus().send(P.UpdateAccountPasswordPolicy, { MinimumPasswordLength: 8, PasswordReusePrevention: 2 });
      const user = await newUser();
      await bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: 'first-pass' });
      const change = (OldPassword: string, NewPassword: string) => bus().send(P.ChangePassword, { Caller: caller(user.UserId), OldPassword, NewPassword });

      expect(await failure(change('first-pass', 'first-pass'))).toEqual({
        code: 'PasswordPolicyViolation',
        message: 'Password should not be one of your 2 previous passwords',
      });
      await change('first-pass', 'second-pass');
      expect((await failure(change('second-pass', 'first-pass'))).code).toBe('PasswordPolicyViolation');
      await change('second-pass', 'third-pass');
      // first-pass is now three passwords back.
      await expect(change('third-pass', 'first-pass')).resolves.toEqual({});
      // Administrators' resets are checked against the history as well.
      expect((await failure(bus().send(P.UpdateLoginProfile, { UserName: user.UserName, Password: 'third-pass' }))).code).toBe(
        'PasswordPolicyViolation',
      );
    });
  });

  describe('ChangePassword', () => {
    it('changes the caller’s password, clears the reset flag and ends every session of the user', async () => {
      const user = await newUser();
      await bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: GOOD, PasswordResetRequired: true });
      const restricted = await signIn(user.UserName, GOOD);
      expect(restricted.PasswordChangeOnly).toBe(true);

      await expect(
        bus().send(P.ChangePassword, { Caller: caller(user.UserId), OldPassword: GOOD, NewPassword: 'Battery-Staple-8' }),
      ).resolves.toEqual({});
      expect((await failure(bus().send(P.VerifySession, { SessionToken: restricted.SessionToken }))).code).toBe('InvalidToken');
      expect((await bus().send(P.GetLoginProfile, { UserName: user.UserName })).LoginProfile.PasswordResetRequired).toBe(false);
      const fresh = await signIn(user.UserName, 'Battery-Staple-8');
      expect(fresh.PasswordChangeOnly).toBe(false);
      expect((await failure(signIn(user.UserName, GOOD))).code).toBe('SignInFailed');
    });

    it('refuses a wrong old password, and locks after repeated failures', async () => {
      const user = await newUser();
      await bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: GOOD });
      const attempt = (OldPassword: string) =>
        failure(bus().send(P.ChangePassword, { Caller: caller(user.UserId), OldPassword, NewPassword: 'Battery-Staple-8' }));
      expect(await attempt('wrong')).toEqual({ code: 'AccessDenied', message: 'The old password is incorrect.' });
      for (let i = 0; i < 4; i++) expect((await attempt('wrong')).code).toBe('AccessDenied');
      expect(await attempt(GOOD)).toEqual({
        code: 'LimitExceeded',
        message: 'Too many failed attempts to verify the password; try again later.',
      });
      clock.advance(61_000);
      await expect(
        bus().send(P.ChangePassword, { Caller: caller(user.UserId), OldPassword: GOOD, NewPassword: 'Battery-Staple-8' }),
      ).resolves.toEqual({});
    });

    it('refuses root, a user without a password, and a new password the policy refuses', async () => {
      expect(await failure(bus().send(P.ChangePassword, { Caller: { Type: 'root' }, OldPassword: 'x', NewPassword: GOOD }))).toEqual({
        code: 'InvalidInput',
        message: "The root user's password is set in the service configuration (IAM_ROOT_PASSWORD) and cannot be changed here.",
      });
      const bare = await newUser();
      expect((await failure(bus().send(P.ChangePassword, { Caller: caller(bare.UserId), OldPassword: 'x', NewPassword: GOOD }))).code).toBe(
        'NoSuchEntity',
      );
      const user = await newUser();
      await bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: GOOD });
      expect((await failure(bus().send(P.ChangePassword, { Caller: caller(user.UserId), OldPassword: GOOD, NewPassword: 'weak' }))).code).toBe(
        'PasswordPolicyViolation',
      );
    });

    it('lets an expired password be changed, unless the policy has HardExpiry', async () => {
      await bus().send(P.UpdateAccountPasswordPolicy, { MinimumPasswordLength: 8, MaxPasswordAge: 30 });
      const soft = await newUser();
      const hard = await newUser();
      for (const user of [soft, hard]) await bus().send(P.CreateLoginProfile, { UserName: user.UserName, Password: GOOD });
      clock.advance(31 * DAY);

      const expired = await signIn(soft.UserName, GOOD);
      expect(expired.PasswordChangeOnly).toBe(true);
      await bus().send(P.ChangePassword, { Caller: caller(soft.UserId), OldPassword: GOOD, NewPassword: 'Battery-Staple-8' });
      expect((await signIn(soft.UserName, 'Battery-Staple-8')).PasswordChangeOnly).toBe(false);

      await bus().send(P.UpdateAccountPasswordPolicy, { MinimumPasswordLength: 8, MaxPasswordAge: 30, HardExpiry: true });
      expect(await failure(bus().send(P.ChangePassword, { Caller: caller(hard.UserId), OldPassword: GOOD, NewPassword: 'Battery-Staple-8' }))).toEqual({
        code: 'PasswordResetRequired',
        message: 'The password has expired and must be reset by an administrator.',
      });
      expect((await failure(signIn(hard.UserName, GOOD))).code).toBe('PasswordResetRequired');
      // An administrator's reset lets the user in again.
      await bus().send(P.UpdateLoginProfile, { UserName: hard.UserName, Password: 'Battery-Staple-9' });
      await expect(signIn(hard.UserName, 'Battery-Staple-9')).resolves.toBeDefined();
    });
  });
});
