import { signInLocks } from '@iam/platform';
import { createHash } from 'node:crypto';
import { IdentityPatterns as P } from '@iam/contracts';
import { describeWithServices, testBusClient } from '@iam/testing';
import { DEFAULT_ARGON2 } from '../identity.options';
import { Argon2PasswordHasher, PasswordHasher } from '../passwords/password-hasher';
import { ACCOUNT_ID, failure, FakeClock, FAST_ARGON2, IdentityUnderTest, startIdentity } from '../../test-support/harness';

const GOOD = 'Correct-Horse-7';
const ROOT_PASSWORD = 'Root-Password-123';
const IP = '198.51.100.7';
const SIGN_IN_FAILED = { code: 'SignInFailed', message: 'Your authentication information is incorrect. Please try again.' };

/**
 * Counts verifications, so a spec can see what an attempt costs; while `gate`
 * is set, every verification waits for it (`held` counts those waiting).
 */
class CountingHasher extends PasswordHasher {
  verifications = 0;
  held = 0;
  gate?: Promise<void>;
  private readonly inner = new Argon2PasswordHasher(FAST_ARGON2);
  hash(password: string) {
    return this.inner.hash(password);
  }
  async verify(hash: string, password: string) {
    this.verifications++;
    if (this.gate) {
      this.held++;
      await this.gate;
      this.held--;
    }
    return this.inner.verify(hash, password);
  }
  needsRehash(hash: string) {
    return this.inner.needsRehash(hash);
  }
}

/** Polls `predicate` until it holds (false after a minute). */
async function waitFor(predicate: () => boolean): Promise<boolean> {
  for (let i = 0; i < 3_000 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return predicate();
}

describeWithServices('console sign-in and sessions', () => {
  const clock = new FakeClock();
  const hasher = new CountingHasher();
  let identity: IdentityUnderTest;

  beforeAll(async () => {
    // A queue long enough for the bursts below (its own limit is specified in password-work.integration.spec.ts).
    identity = await startIdentity({
      ports: { clock, hasher },
      env: { IAM_ROOT_PASSWORD: ROOT_PASSWORD },
      options: { passwordWorkConcurrency: 64, passwordWorkQueue: 64 },
    });
  });

  /** A client that waits as long as held verifications take on a loaded machine. */
  let patient: Awaited<ReturnType<typeof testBusClient>>;
  beforeAll(async () => {
    patient = await testBusClient(identity.transport, 120_000);
  });

  afterAll(async () => {
    await patient?.close();
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
    it('counts each attempt before checking its password: of a burst of guesses at most 5 are checked, and the right password after them is refused', async () => {
      const user = await userWithPassword();
      let release!: () => void;
      hasher.gate = new Promise<void>((resolve) => (release = resolve));
      const before = hasher.verifications;
      let answered = 0;
      // 24 wrong guesses at once; checks hold until released, so none has failed yet when the right one comes.
      const attempt = (Password: string) => failure(patient.send(P.SignIn, { UserName: user.UserName, Password, SourceIp: '192.0.2.80' }));
      const burst = Array.from({ length: 24 }, () => attempt('wrong').finally(() => answered++));
      expect(await waitFor(() => hasher.held + answered === 24)).toBe(true);
      let decided = false;
      const right = attempt(GOOD).finally(() => (decided = true));
      // Refused at once, or held like the others (had it been let through).
      expect(await waitFor(() => decided || hasher.held + answered === 25)).toBe(true);
      release();
      hasher.gate = undefined;
      expect(await right).toEqual(SIGN_IN_FAILED);
      expect(await Promise.all(burst)).toEqual(Array(24).fill(SIGN_IN_FAILED));
      expect(hasher.verifications - before).toBe(5);
    });

    it('counts ChangePassword attempts the same way: a burst with the right old password never gets past the lock', async () => {
      const user = await userWithPassword();
      let release!: () => void;
      hasher.gate = new Promise<void>((resolve) => (release = resolve));
      const change = (OldPassword: string) =>
        failure(patient.send(P.ChangePassword, { Caller: { Type: 'user', UserId: user.UserId }, OldPassword, NewPassword: 'Battery-Staple-8' }));
      let answered = 0;
      const burst = Array.from({ length: 24 }, () => change('wrong').finally(() => answered++));
      expect(await waitFor(() => hasher.held + answered === 24)).toBe(true);
      let decided = false;
      const right = change(GOOD).finally(() => (decided = true));
      expect(await waitFor(() => decided || hasher.held + answered === 25)).toBe(true);
      release();
      hasher.gate = undefined;
      expect((await right).code).toBe('LimitExceeded');
      const codes = (await Promise.all(burst)).map((error) => error.code).sort();
      expect(codes).toEqual([...Array(5).fill('AccessDenied'), ...Array(19).fill('LimitExceeded')]);
    });

    it('locks a user from one source after 5 failures, even with the right password and without hashing, then lets it in', async () => {
      const user = await userWithPassword();
      const locks = async (scope: string) => (await signInLocks.get()).values.find((v) => v.labels.scope === scope)?.value ?? 0;
      const [sourceLocks, userLocks] = [await locks('source'), await locks('user')];
      for (let i = 0; i < 5; i++) expect(await failure(signIn(user.UserName, 'wrong', '192.0.2.10'))).toEqual(SIGN_IN_FAILED);
      // One lock begun, of the user from this source (iam_sign_in_locks_total).
      expect([await locks('source'), await locks('user')]).toEqual([sourceLocks + 1, userLocks]);
      const before = hasher.verifications;
      expect(await failure(signIn(user.UserName, GOOD, '192.0.2.10'))).toEqual(SIGN_IN_FAILED);
      expect(hasher.verifications - before).toBe(0);

      clock.advance(60_000);
      await expect(signIn(user.UserName, GOOD, '192.0.2.10')).resolves.toBeDefined();
      // The success cleared the streak: four more failures do not lock.
      for (let i = 0; i < 4; i++) await failure(signIn(user.UserName, 'wrong', '192.0.2.10'));
      await expect(signIn(user.UserName, GOOD, '192.0.2.10')).resolves.toBeDefined();
    });

    it("lets the real user in from its own source while an attacker's source stays locked", async () => {
      const user = await userWithPassword();
      const attacker = '192.0.2.11';
      for (let i = 0; i < 5; i++) await failure(signIn(user.UserName, 'wrong', attacker));
      clock.advance(60_000);
      for (let i = 0; i < 5; i++) await failure(signIn(user.UserName, 'wrong', attacker));
      // Ten failures: the user is locked too, but not for a source without failures.
      await expect(signIn(user.UserName, GOOD, '198.51.100.20')).resolves.toBeDefined();
      // The brute force from the attacker's source is still locked, with the right password too.
      expect(await failure(signIn(user.UserName, GOOD, attacker))).toEqual(SIGN_IN_FAILED);
      clock.advance(120_000);
      await expect(signIn(user.UserName, GOOD, attacker)).resolves.toBeDefined();
    });

    it('locks a user guessed at from many sources for those sources, letting 3 attempts per lock through from clean ones', async () => {
      const user = await userWithPassword();
      for (let i = 0; i < 10; i++) await failure(signIn(user.UserName, 'wrong', `192.0.2.${100 + i}`));
      expect(await failure(signIn(user.UserName, GOOD, '192.0.2.100'))).toEqual(SIGN_IN_FAILED);
      // Clean sources spend the budget (three wrong guesses) ...
      for (let i = 0; i < 3; i++) await failure(signIn(user.UserName, 'wrong', `198.51.100.${100 + i}`));
      // ... after which even the right password from a clean source waits for the lock to end.
      const before = hasher.verifications;
      expect(await failure(signIn(user.UserName, GOOD, '198.51.100.200'))).toEqual(SIGN_IN_FAILED);
      expect(hasher.verifications - before).toBe(0);
      clock.advance(60_000);
      await expect(signIn(user.UserName, GOOD, '198.51.100.200')).resolves.toBeDefined();
    });

    it('counts the addresses of one IPv6 /64 as one source', async () => {
      const user = await userWithPassword();
      for (let i = 1; i <= 5; i++) await failure(signIn(user.UserName, 'wrong', `2001:db8:0:1::${i}`));
      expect(await failure(signIn(user.UserName, GOOD, '2001:db8:0:1:ffff::99'))).toEqual(SIGN_IN_FAILED);
      await expect(signIn(user.UserName, GOOD, '2001:db8:0:2::1')).resolves.toBeDefined();
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

    it('never locks a source address as such: guesses at other user names do not lock out users behind it', async () => {
      const user = await userWithPassword();
      for (let i = 0; i < 25; i++) await failure(signIn(`sprayed-${i}`, 'guess', '192.0.2.200'));
      await expect(signIn(user.UserName, GOOD, '192.0.2.200')).resolves.toBeDefined();
    });

    it("clears a user's lockout when an administrator resets its password", async () => {
      const user = await userWithPassword();
      for (let i = 0; i < 5; i++) await failure(signIn(user.UserName, 'wrong', '192.0.2.30'));
      expect(await failure(signIn(user.UserName, GOOD, '192.0.2.30'))).toEqual(SIGN_IN_FAILED);
      await bus().send(P.UpdateLoginProfile, { UserName: user.UserName, Password: 'Battery-Staple-8' });
      await expect(signIn(user.UserName, 'Battery-Staple-8', '192.0.2.30')).resolves.toBeDefined();
    });

    it('keeps its counters in the database, where every replica sees them', async () => {
      const user = await userWithPassword();
      await failure(signIn(user.UserName, 'wrong', '192.0.2.50'));
      const rows = await identity.sql<{ subject: string; failures: number; principal: string | null }>(
        'SELECT subject, failures, principal FROM identity.sign_in_failures WHERE subject = $1 OR principal = $1 ORDER BY subject',
        [`user:${user.UserName}`],
      );
      expect(rows).toEqual([
        { subject: `pair:user:${user.UserName}|192.0.2.50`, failures: 1, principal: `user:${user.UserName}` },
        { subject: `user:${user.UserName}`, failures: 1, principal: null },
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

    it('refuses a wrong root password with the same answer and locks root from that source after 5 failures, not from others', async () => {
      for (let i = 0; i < 5; i++) {
        expect(await failure(bus().send(P.SignIn, { Root: true, Password: 'wrong', SourceIp: '192.0.2.70' }))).toEqual(SIGN_IN_FAILED);
      }
      expect(await failure(bus().send(P.SignIn, { Root: true, Password: ROOT_PASSWORD, SourceIp: '192.0.2.70' }))).toEqual(SIGN_IN_FAILED);
      await expect(bus().send(P.SignIn, { Root: true, Password: ROOT_PASSWORD, SourceIp: '192.0.2.71' })).resolves.toBeDefined();
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
