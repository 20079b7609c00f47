import { createHash } from 'node:crypto';
import { IdentityPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { DEFAULT_ARGON2 } from '../identity.options';
import { Argon2PasswordHasher, PasswordHasher } from '../passwords/password-hasher';
import { ACCOUNT_ID, failure, FakeClock, FAST_ARGON2, IdentityUnderTest, startIdentity } from '../../test-support/harness';

const GOOD = 'Correct-Horse-7';
const ROOT_PASSWORD = 'Root-Password-123';
const IP = '198.51.100.7';
const SIGN_IN_FAILED = { code: 'SignInFailed', message: 'Your authentication information is incorrect. Please try again.' };

/** Counts verifications, so a spec can see that every attempt costs one. */
class CountingHasher extends PasswordHasher {
  verifications = 0;
  private readonly inner = new Argon2PasswordHasher(FAST_ARGON2);
  hash(password: string) {
    return this.inner.hash(password);
  }
  verify(hash: string, password: string) {
    this.verifications++;
    return this.inner.verify(hash, password);
  }
  needsRehash(hash: string) {
    return this.inner.needsRehash(hash);
  }
}

describeWithServices('console sign-in and sessions', () => {
  const clock = new FakeClock();
  const hasher = new CountingHasher();
  let identity: IdentityUnderTest;

  beforeAll(async () => {
    identity = await startIdentity({ ports: { clock, hasher }, env: { IAM_ROOT_PASSWORD: ROOT_PASSWORD } });
  });

  afterAll(async () => {
    await identity?.close();
  });

  const bus = () => identity.bus;
  let counter = 0;
  /** A user with a password; each gets its own source address unless told otherwise. */
  const userWithPassword = async (options: { resetRequired?: boolean; tags?: Array<{ Key: string; Value: string }> } = {}) => {
    const { User } = await bus().send(P.CreateUser, { UserName: `console-${++counter}`, Path: '/staff/', Tags: options.tags });
    await bus().send(P.CreateLoginProfile, { UserName: User.UserName, Password: GOOD, PasswordResetRequired: options.resetRequired });
    return User;
  };
  const signIn = (UserName: string, Password: string, SourceIp = `203.0.113.${counter % 250}`) =>
    bus().send(P.SignIn, { UserName, Password, SourceIp });
  const verify = (SessionToken: string) => bus().send(P.VerifySession, { SessionToken });

  describe('signing in and verifying', () => {
    it('signs in, returns a 256-bit token shown once, and verifies it as the user', async () => {
      const user = await userWithPassword({ tags: [{ Key: 'team', Value: 'blue' }] });
      const session = await signIn(user.UserName.toUpperCase(), GOOD);
      expect(session.SessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.Expiration).toBe(new Date(clock.now().getTime() + 3_600_000).toISOString());
      expect(session.PasswordChangeOnly).toBe(false);
      const principal = {
        Type: 'user',
        AccountId: ACCOUNT_ID,
        UserId: user.UserId,
        UserName: user.UserName,
        Path: '/staff/',
        Arn: `arn:aws:iam::${ACCOUNT_ID}:user/staff/${user.UserName}`,
        Tags: [{ Key: 'team', Value: 'blue' }],
      };
      expect(session.Principal).toEqual(principal);
      await expect(verify(session.SessionToken)).resolves.toEqual({ Principal: principal, Expiration: session.Expiration, PasswordChangeOnly: false });

      const rows = await identity.sql<{ token_hash: string; source_ip: string }>('SELECT token_hash, source_ip FROM identity.sessions WHERE user_id = $1', [
        user.UserId,
      ]);
      expect(rows).toEqual([{ token_hash: createHash('sha256').update(session.SessionToken).digest('hex'), source_ip: expect.any(String) }]);
      expect((await bus().send(P.GetUser, { UserName: user.UserName })).User.PasswordLastUsed).toBe(clock.now().toISOString());
    });

    it('answers InvalidToken for an unknown token and ExpiredToken after the expiry', async () => {
      const user = await userWithPassword();
      const session = await signIn(user.UserName, GOOD);
      expect(await failure(verify('A'.repeat(43)))).toEqual({ code: 'InvalidToken', message: 'The session token is not valid.' });
      clock.advance(3_600_000);
      expect(await failure(verify(session.SessionToken))).toEqual({ code: 'ExpiredToken', message: 'The session token has expired.' });
    });

    it('signs out (idempotently)', async () => {
      const user = await userWithPassword();
      const session = await signIn(user.UserName, GOOD);
      await expect(bus().send(P.SignOut, { SessionToken: session.SessionToken })).resolves.toEqual({});
      expect((await failure(verify(session.SessionToken))).code).toBe('InvalidToken');
      await expect(bus().send(P.SignOut, { SessionToken: session.SessionToken })).resolves.toEqual({});
    });

    it('restricts the session to changing the password when a reset is required or the password expired', async () => {
      const reset = await userWithPassword({ resetRequired: true });
      expect((await signIn(reset.UserName, GOOD)).PasswordChangeOnly).toBe(true);

      const aging = await userWithPassword();
      const session = await signIn(aging.UserName, GOOD);
      expect((await verify(session.SessionToken)).PasswordChangeOnly).toBe(false);
      await bus().send(P.UpdateAccountPasswordPolicy, { MaxPasswordAge: 1 });
      try {
        // Signed in half an hour before the password expires; the session outlives the password.
        clock.advance(86_400_000 - 1_800_000);
        const renewed = await signIn(aging.UserName, GOOD);
        expect(renewed.PasswordChangeOnly).toBe(false);
        clock.advance(1_860_000);
        expect((await verify(renewed.SessionToken)).PasswordChangeOnly).toBe(true);
      } finally {
        await bus().send(P.DeleteAccountPasswordPolicy, {});
      }
    });

    it('refuses requests that name both or neither of a user and root, and bad addresses', async () => {
      expect((await failure(bus().send(P.SignIn, { Password: GOOD, SourceIp: IP }))).code).toBe('ValidationError');
      expect((await failure(bus().send(P.SignIn, { UserName: 'x', Root: true, Password: GOOD, SourceIp: IP }))).code).toBe('ValidationError');
      expect(await failure(bus().send(P.SignIn, { UserName: 'x', Password: GOOD, SourceIp: 'not-an-ip' }))).toEqual({
        code: 'ValidationError',
        message: "1 validation error detected: Value 'not-an-ip' at 'sourceIp' failed to satisfy constraint: Member must be an IPv4 or IPv6 address",
      });
      const bad = await failure(bus().send(P.VerifySession, { SessionToken: 'short' }));
      expect(bad).toEqual({
        code: 'ValidationError',
        message: "1 validation error detected: Value at 'sessionToken' failed to satisfy constraint: Member must have length greater than or equal to 16",
      });
    });

    it('accepts IPv6 source addresses', async () => {
      const user = await userWithPassword();
      await expect(signIn(user.UserName, GOOD, '2001:DB8::1')).resolves.toBeDefined();
    });
  });

  describe('one answer for every failure', () => {
    it('answers the same SignInFailed, after one password verification, for unknown user, no password, wrong password, user being deleted', async () => {
      const user = await userWithPassword();
      const { User: bare } = await bus().send(P.CreateUser, { UserName: `bare-${++counter}` });
      const leaving = await userWithPassword();
      await identity.sql('DELETE FROM identity.login_profiles WHERE user_id = $1', [leaving.UserId]);
      await identity.sql("UPDATE identity.users SET state = 'deleting' WHERE user_id = $1", [leaving.UserId]);

      for (const [name, password] of [
        ['no-such-user', GOOD],
        [bare.UserName, GOOD],
        [user.UserName, 'wrong-password'],
        [leaving.UserName, GOOD],
      ]) {
        const before = hasher.verifications;
        expect(await failure(signIn(name, password, '192.0.2.1'))).toEqual(SIGN_IN_FAILED);
        expect(hasher.verifications - before).toBe(1);
      }
    });
  });

  describe('brute-force protection', () => {
    it('locks a user for a while after 5 failures, even with the right password, then lets it in; success clears the count', async () => {
      const user = await userWithPassword();
      for (let i = 0; i < 5; i++) expect(await failure(signIn(user.UserName, 'wrong', `192.0.2.${10 + i}`))).toEqual(SIGN_IN_FAILED);
      const before = hasher.verifications;
      expect(await failure(signIn(user.UserName, GOOD, '192.0.2.99'))).toEqual(SIGN_IN_FAILED);
      expect(hasher.verifications - before).toBe(1);

      clock.advance(60_000);
      await expect(signIn(user.UserName, GOOD, '192.0.2.99')).resolves.toBeDefined();
      // The success cleared the streak: four more failures do not lock.
      for (let i = 0; i < 4; i++) await failure(signIn(user.UserName, 'wrong', '192.0.2.99'));
      await expect(signIn(user.UserName, GOOD, '192.0.2.99')).resolves.toBeDefined();
    });

    it('makes the wait grow with each lockout of a streak', async () => {
      const user = await userWithPassword();
      const fail = async (n: number) => {
        for (let i = 0; i < n; i++) await failure(signIn(user.UserName, 'wrong'));
      };
      await fail(5);
      clock.advance(60_000);
      await fail(5);
      clock.advance(60_000);
      expect(await failure(signIn(user.UserName, GOOD))).toEqual(SIGN_IN_FAILED);
      clock.advance(60_000);
      await expect(signIn(user.UserName, GOOD)).resolves.toBeDefined();
    });

    it('forgets a streak twelve hours after its last failure', async () => {
      const user = await userWithPassword();
      for (let i = 0; i < 4; i++) await failure(signIn(user.UserName, 'wrong'));
      clock.advance(12 * 3_600_000 + 1_000);
      for (let i = 0; i < 4; i++) await failure(signIn(user.UserName, 'wrong'));
      await expect(signIn(user.UserName, GOOD)).resolves.toBeDefined();
    });

    it('locks a source address after 20 failures across user names, for every user from it', async () => {
      const user = await userWithPassword();
      for (let i = 0; i < 20; i++) await failure(signIn(`sprayed-${i}`, 'guess', '192.0.2.200'));
      expect(await failure(signIn(user.UserName, GOOD, '192.0.2.200'))).toEqual(SIGN_IN_FAILED);
      await expect(signIn(user.UserName, GOOD, '192.0.2.201')).resolves.toBeDefined();
      clock.advance(60_000);
      await expect(signIn(user.UserName, GOOD, '192.0.2.200')).resolves.toBeDefined();
    });

    it("clears a user's lockout when an administrator resets its password", async () => {
      const user = await userWithPassword();
      for (let i = 0; i < 5; i++) await failure(signIn(user.UserName, 'wrong', `192.0.2.${30 + i}`));
      expect(await failure(signIn(user.UserName, GOOD, '192.0.2.40'))).toEqual(SIGN_IN_FAILED);
      await bus().send(P.UpdateLoginProfile, { UserName: user.UserName, Password: 'Battery-Staple-8' });
      await expect(signIn(user.UserName, 'Battery-Staple-8', '192.0.2.40')).resolves.toBeDefined();
    });

    it('keeps its counters in the database, where every replica sees them', async () => {
      const user = await userWithPassword();
      await failure(signIn(user.UserName, 'wrong', '192.0.2.50'));
      const rows = await identity.sql<{ subject: string; failures: number }>(
        'SELECT subject, failures FROM identity.sign_in_failures WHERE subject IN ($1, $2) ORDER BY subject',
        [`user:${user.UserName}`, 'ip:192.0.2.50'],
      );
      expect(rows).toEqual([
        { subject: 'ip:192.0.2.50', failures: 1 },
        { subject: `user:${user.UserName}`, failures: 1 },
      ]);
    });
  });

  describe('root', () => {
    it('signs root in with IAM_ROOT_PASSWORD and verifies the session as root', async () => {
      const session = await bus().send(P.SignIn, { Root: true, Password: ROOT_PASSWORD, SourceIp: IP });
      const principal = { Type: 'root', AccountId: ACCOUNT_ID, UserId: ACCOUNT_ID, Arn: `arn:aws:iam::${ACCOUNT_ID}:root`, Tags: [] };
      expect(session.Principal).toEqual(principal);
      expect(session.PasswordChangeOnly).toBe(false);
      expect((await verify(session.SessionToken)).Principal).toEqual(principal);
      expect((await bus().send(P.GetRootUser, {})).User.PasswordLastUsed).toBe(clock.now().toISOString());
    });

    it('refuses a wrong root password with the same answer and locks root after 5 failures', async () => {
      for (let i = 0; i < 5; i++) {
        expect(await failure(bus().send(P.SignIn, { Root: true, Password: 'wrong', SourceIp: `192.0.2.${60 + i}` }))).toEqual(SIGN_IN_FAILED);
      }
      expect(await failure(bus().send(P.SignIn, { Root: true, Password: ROOT_PASSWORD, SourceIp: '192.0.2.70' }))).toEqual(SIGN_IN_FAILED);
      clock.advance(60_000);
      await expect(bus().send(P.SignIn, { Root: true, Password: ROOT_PASSWORD, SourceIp: '192.0.2.70' })).resolves.toBeDefined();
    });

    it("ends root's sessions when the root password changes, and refuses root sign-in without one", async () => {
      const session = await bus().send(P.SignIn, { Root: true, Password: ROOT_PASSWORD, SourceIp: IP });
      await identity.restart({ options: { root: { password: 'Another-Root-456' } } });
      expect((await failure(verify(session.SessionToken))).code).toBe('InvalidToken');
      expect(await failure(bus().send(P.SignIn, { Root: true, Password: ROOT_PASSWORD, SourceIp: IP }))).toEqual(SIGN_IN_FAILED);
      const next = await bus().send(P.SignIn, { Root: true, Password: 'Another-Root-456', SourceIp: IP });

      await identity.restart({ options: { root: {} } });
      expect((await failure(verify(next.SessionToken))).code).toBe('InvalidToken');
      expect(await failure(bus().send(P.SignIn, { Root: true, Password: 'Another-Root-456', SourceIp: IP }))).toEqual(SIGN_IN_FAILED);
      await identity.restart({ options: { root: { password: ROOT_PASSWORD } } });
    });
  });

  describe('argon2id parameters', () => {
    it('hashes with OWASP parameters by default and rehashes a weaker hash at the next sign-in', async () => {
      const user = await userWithPassword();
      const stored = async () =>
        (await identity.sql<{ password_hash: string }>('SELECT password_hash FROM identity.login_profiles WHERE user_id = $1', [user.UserId]))[0]
          .password_hash;
      expect(await stored()).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);

      await identity.restart({ ports: { clock, hasher: new Argon2PasswordHasher(DEFAULT_ARGON2) } });
      await signIn(user.UserName, GOOD);
      expect(await stored()).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      await expect(signIn(user.UserName, GOOD)).resolves.toBeDefined();

      const { User } = await bus().send(P.CreateUser, { UserName: `owasp-${++counter}` });
      await bus().send(P.CreateLoginProfile, { UserName: User.UserName, Password: GOOD });
      const [fresh] = await identity.sql<{ password_hash: string }>('SELECT password_hash FROM identity.login_profiles WHERE user_id = $1', [User.UserId]);
      expect(fresh.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22}\$/);
      await identity.restart({ ports: { clock, hasher } });
    });
  });
});
