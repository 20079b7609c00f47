import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithServices, officialSigner } from '@iam/testing';
import { type Credentials, signedFetch, startDistributedSystem } from './support/gateway';
import { freePort, RunningProcess, startApp, waitForStatus } from './support/processes';

/**
 * The authentication attacks, each one named, through the running system in both modes (the
 * embedded default and the distributed processes over NATS and PostgreSQL):
 *
 * - SigV4: wrong secret; method, path, query, header or body changed after signing; a signed
 *   header omitted; a request date past the 15-minute skew; a presigned URL after its expiry;
 *   an inactive, deleted or unknown key; the key of a deleted user; a security token (header or
 *   presigned query) for temporary credentials there are none of.
 * - Sessions: a token after sign-out, after a password change, after the user's deletion.
 * - Guessing: a lock engages from the guessing source and holds against a burst carrying the right
 *   password; the real user still gets in from another source; IPv6 addresses of one /64 count
 *   together; every failure answers the same status, code and message (no enumeration).
 * - Floods: sign-in floods are throttled (429 `Throttling`, never 5xx) by the per-source and
 *   per-user-name limits and by the bounded password queue, passwords over 128 characters are
 *   refused before hashing, and a signed call still answers during the flood.
 *
 * Where each is proved below the gateway: the atomic count of a burst (no more than 5 guesses
 * checked, the right password after them refused) with held verifications in
 * `libs/identity-service/src/lib/sessions/sessions.integration.spec.ts`; the lockout rules in
 * `lockout.spec.ts`; signature verification against the official signer in
 * `signatures.integration.spec.ts`.
 */
jest.setTimeout(600_000);

const GOOD = 'Attack-Suite-Passw0rd!';
const ROOT_PASSWORD = 'Attack-Suite-Root-Passw0rd!';
const READ_ONLY = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
/** Limits for this suite: each attack uses its own sources and user names, so they stay apart. */
const LIMITS = { IAM_SIGN_IN_RATE_PER_SOURCE: '40', IAM_SIGN_IN_RATE_PER_USER: '60', IAM_SIGN_IN_RATE_WINDOW_SECONDS: '600', IAM_TRUST_PROXY: '127.0.0.1' };

interface System {
  base: string;
  root: Credentials;
}

function attacks(start: () => Promise<System>) {
  let system: System;
  let n = 0;

  beforeAll(async () => {
    system = await start();
  });

  const rest = (credentials: Credentials, method: string, path: string, body?: object) =>
    signedFetch(system.base, credentials, {
      method,
      path,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ok = async (credentials: Credentials, method: string, path: string, body?: object): Promise<any> => {
    const response = await rest(credentials, method, path, body);
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? {} : response.json();
  };
  /** A new user with a password and an access key. */
  const newUser = async () => {
    const UserName = `atk-${++n}-${Date.now() % 100_000}`;
    await ok(system.root, 'POST', '/v1/users', { UserName });
    await ok(system.root, 'POST', `/v1/users/${UserName}/login-profile`, { Password: GOOD, PasswordResetRequired: false });
    const { AccessKey } = await ok(system.root, 'POST', `/v1/users/${UserName}/access-keys`);
    await ok(system.root, 'POST', `/v1/users/${UserName}/attached-policies`, { PolicyArn: READ_ONLY });
    return { UserName, key: { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey } as Credentials };
  };
  const signIn = (UserName: string, Password: string, from: string) =>
    fetch(`${system.base}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ UserName, Password }),
    });
  const answer = async (response: Response) => ({ status: response.status, code: ((await response.json()) as { code?: string }).code });
  const withToken = (token: string, path = '/v1/me') => fetch(`${system.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  /** SigV4 headers for a REST GET, for tampering with before sending. */
  const signedGet = async (credentials: Credentials, path: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) => {
    const url = new URL(system.base);
    const signed = await officialSigner(credentials).sign({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query,
      headers: { host: url.host, ...headers },
    });
    const sent = { ...(signed.headers as Record<string, string>) };
    delete sent['host'];
    return sent;
  };
  const code = async (response: Response) => {
    const text = await response.text();
    return { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? (JSON.parse(text) as { code: string }).code };
  };

  describe('SigV4', () => {
    let alice: { UserName: string; key: Credentials };
    beforeAll(async () => {
      alice = await newUser();
    });

    it('wrong secret → SignatureDoesNotMatch', async () => {
      const secret = alice.key.secretAccessKey;
      const wrong = `${secret[0] === 'x' ? 'y' : 'x'}${secret.slice(1)}`;
      const response = await rest({ ...alice.key, secretAccessKey: wrong }, 'GET', `/v1/users/${alice.UserName}`);
      expect(await code(response)).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    });

    it('method changed after signing → SignatureDoesNotMatch, nothing deleted', async () => {
      const headers = await signedGet(alice.key, `/v1/users/${alice.UserName}`);
      const response = await fetch(`${system.base}/v1/users/${alice.UserName}`, { method: 'DELETE', headers });
      expect(await code(response)).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
      expect((await rest(system.root, 'GET', `/v1/users/${alice.UserName}`)).status).toBe(200);
    });

    it('path changed after signing → SignatureDoesNotMatch', async () => {
      const headers = await signedGet(alice.key, `/v1/users/${alice.UserName}`);
      expect(await code(await fetch(`${system.base}/v1/users/root-only`, { headers }))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    });

    it('query changed after signing → SignatureDoesNotMatch', async () => {
      const headers = await signedGet(alice.key, '/v1/users', { limit: '1' });
      expect(await code(await fetch(`${system.base}/v1/users?limit=2`, { headers }))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    });

    it('signed header changed after signing → SignatureDoesNotMatch', async () => {
      const headers = await signedGet(alice.key, `/v1/users/${alice.UserName}`, {}, { 'x-client-note': 'one' });
      const response = await fetch(`${system.base}/v1/users/${alice.UserName}`, { headers: { ...headers, 'x-client-note': 'two' } });
      expect(await code(response)).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    });

    it('signed header omitted → SignatureDoesNotMatch', async () => {
      const headers = await signedGet(alice.key, `/v1/users/${alice.UserName}`, {}, { 'x-client-note': 'one' });
      delete headers['x-client-note'];
      const response = await fetch(`${system.base}/v1/users/${alice.UserName}`, { headers });
      expect(await code(response)).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    });

    it('body changed after signing (Query API) → SignatureDoesNotMatch, no user created', async () => {
      const body = 'Action=GetUser&Version=2010-05-08';
      const url = new URL(system.base);
      const signed = await officialSigner(alice.key).sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body,
      });
      const headers = { ...(signed.headers as Record<string, string>) };
      delete headers['host'];
      const tampered = `Action=CreateUser&UserName=smuggled-${n}&Version=2010-05-08`;
      expect(await code(await fetch(`${system.base}/`, { method: 'POST', headers, body: tampered }))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
      expect((await rest(system.root, 'GET', `/v1/users/smuggled-${n}`)).status).toBe(404);
    });

    it('request date past the 15-minute skew → RequestExpired', async () => {
      const response = await signedFetch(system.base, alice.key, { method: 'GET', path: `/v1/users/${alice.UserName}` }, { signingDate: new Date(Date.now() - 16 * 60_000) });
      expect(await code(response)).toEqual({ status: 400, code: 'RequestExpired' });
    });

    it('presigned URL after its expiry → RequestExpired', async () => {
      const url = new URL(system.base);
      const presigned = await officialSigner(alice.key).presign(
        { method: 'GET', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: `/v1/users/${alice.UserName}`, query: {}, headers: { host: url.host } },
        { expiresIn: 60, signingDate: new Date(Date.now() - 5 * 60_000) },
      );
      const search = new URLSearchParams(presigned.query as Record<string, string>).toString();
      expect(await code(await fetch(`${system.base}/v1/users/${alice.UserName}?${search}`))).toEqual({ status: 400, code: 'RequestExpired' });
    });

    it('security token (header, either front, or presigned query) → InvalidClientTokenId', async () => {
      const temporary = { ...alice.key, sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN' };
      expect(await code(await rest(temporary, 'GET', `/v1/users/${alice.UserName}`))).toEqual({ status: 403, code: 'InvalidClientTokenId' });
      const query = await signedFetch(system.base, temporary, {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: 'Action=GetUser&Version=2010-05-08',
      });
      expect(await code(query)).toEqual({ status: 403, code: 'InvalidClientTokenId' });
      const url = new URL(system.base);
      const presigned = await officialSigner(temporary).presign(
        { method: 'GET', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: `/v1/users/${alice.UserName}`, query: {}, headers: { host: url.host } },
        { expiresIn: 300 },
      );
      expect(Object.keys(presigned.query ?? {})).toContain('X-Amz-Security-Token');
      const search = new URLSearchParams(presigned.query as Record<string, string>).toString();
      expect(await code(await fetch(`${system.base}/v1/users/${alice.UserName}?${search}`))).toEqual({ status: 403, code: 'InvalidClientTokenId' });
    });

    it('inactive key → InvalidClientTokenId; active again → accepted', async () => {
      const bob = await newUser();
      await ok(system.root, 'PATCH', `/v1/users/${bob.UserName}/access-keys/${bob.key.accessKeyId}`, { Status: 'Inactive' });
      expect(await code(await rest(bob.key, 'GET', `/v1/users/${bob.UserName}`))).toEqual({ status: 403, code: 'InvalidClientTokenId' });
      await ok(system.root, 'PATCH', `/v1/users/${bob.UserName}/access-keys/${bob.key.accessKeyId}`, { Status: 'Active' });
      expect((await rest(bob.key, 'GET', `/v1/users/${bob.UserName}`)).status).toBe(200);
    });

    it('deleted key, unknown key, a deleted user’s key → InvalidClientTokenId', async () => {
      const carol = await newUser();
      await ok(system.root, 'DELETE', `/v1/users/${carol.UserName}/access-keys/${carol.key.accessKeyId}`);
      expect(await code(await rest(carol.key, 'GET', `/v1/users/${carol.UserName}`))).toEqual({ status: 403, code: 'InvalidClientTokenId' });
      expect(await code(await rest({ ...carol.key, accessKeyId: 'AKIAUNKNOWNUNKNOWN00' }, 'GET', '/v1/users'))).toEqual({ status: 403, code: 'InvalidClientTokenId' });

      const dave = await newUser();
      await ok(system.root, 'DELETE', `/v1/users/${dave.UserName}/access-keys/${dave.key.accessKeyId}`);
      await ok(system.root, 'DELETE', `/v1/users/${dave.UserName}/login-profile`);
      await ok(system.root, 'DELETE', `/v1/users/${dave.UserName}/attached-policies/${encodeURIComponent(READ_ONLY)}`);
      await ok(system.root, 'DELETE', `/v1/users/${dave.UserName}`);
      expect(await code(await rest(dave.key, 'GET', '/v1/users'))).toEqual({ status: 403, code: 'InvalidClientTokenId' });
    });
  });

  describe('sessions', () => {
    const sessionOf = async (UserName: string, from: string) => {
      const response = await signIn(UserName, GOOD, from);
      expect(response.status).toBe(201);
      return ((await response.json()) as { SessionToken: string }).SessionToken;
    };

    it('session after sign-out → InvalidToken', async () => {
      const erin = await newUser();
      const token = await sessionOf(erin.UserName, '192.0.2.10');
      expect((await withToken(token)).status).toBe(200);
      expect((await fetch(`${system.base}/v1/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
      expect(await answer(await withToken(token))).toEqual({ status: 403, code: 'InvalidToken' });
    });

    it('session after a password change → InvalidToken', async () => {
      const frank = await newUser();
      const token = await sessionOf(frank.UserName, '192.0.2.11');
      await ok(system.root, 'PATCH', `/v1/users/${frank.UserName}/login-profile`, { Password: 'Another-Passw0rd!' });
      expect(await answer(await withToken(token))).toEqual({ status: 403, code: 'InvalidToken' });
    });

    it('session after the user’s deletion → InvalidToken', async () => {
      const gina = await newUser();
      const token = await sessionOf(gina.UserName, '192.0.2.12');
      await ok(system.root, 'DELETE', `/v1/users/${gina.UserName}/access-keys/${gina.key.accessKeyId}`);
      await ok(system.root, 'DELETE', `/v1/users/${gina.UserName}/login-profile`);
      await ok(system.root, 'DELETE', `/v1/users/${gina.UserName}/attached-policies/${encodeURIComponent(READ_ONLY)}`);
      await ok(system.root, 'DELETE', `/v1/users/${gina.UserName}`);
      expect(await answer(await withToken(token))).toEqual({ status: 403, code: 'InvalidToken' });
    });
  });

  describe('guessing', () => {
    it('one answer for every failure: unknown user, wrong password, locked (no enumeration by status, code or message)', async () => {
      const hank = await newUser();
      const bodyOf = async (response: Response) => ({ status: response.status, body: (await response.json()) as { code: string; message: string } });
      const unknown = await bodyOf(await signIn(`nobody-${n}`, GOOD, '192.0.2.20'));
      const wrong = await bodyOf(await signIn(hank.UserName, 'Wrong-Passw0rd!', '192.0.2.20'));
      for (let i = 0; i < 4; i++) await signIn(hank.UserName, 'Wrong-Passw0rd!', '192.0.2.20');
      const locked = await bodyOf(await signIn(hank.UserName, GOOD, '192.0.2.20'));
      const strip = (answer: { status: number; body: { code: string; message: string } }) => ({ status: answer.status, code: answer.body.code, message: answer.body.message });
      expect(strip(unknown)).toEqual({ status: 401, code: 'SignInFailed', message: 'Your authentication information is incorrect. Please try again.' });
      expect(strip(wrong)).toEqual(strip(unknown));
      expect(strip(locked)).toEqual(strip(unknown));
    });

    it('a lock engages for the guessing source and holds against a burst with the right password; the real user still gets in from elsewhere', async () => {
      const ivan = await newUser();
      const attacker = '198.51.100.7';
      for (let i = 0; i < 5; i++) expect((await answer(await signIn(ivan.UserName, `Guess-${i}-Passw0rd!`, attacker))).status).toBe(401);
      // 24 wrong guesses and the right password at once, from the locked source.
      const burst = await Promise.all([
        ...Array.from({ length: 24 }, (_, i) => signIn(ivan.UserName, `Burst-${i}-Passw0rd!`, attacker).then(answer)),
        signIn(ivan.UserName, GOOD, attacker).then(answer),
      ]);
      for (const reply of burst) expect([JSON.stringify(reply)]).toContainEqual(expect.stringMatching(/"status":(401,"code":"SignInFailed"|429,"code":"Throttling")/));
      expect(burst.filter((reply) => reply.status === 201)).toEqual([]);
      expect((await answer(await signIn(ivan.UserName, GOOD, attacker))).status).toBe(401);
      // The attacker locked nothing for the real user at another address.
      expect((await signIn(ivan.UserName, GOOD, '203.0.113.77')).status).toBe(201);
      // And the attacker's source is still locked after the real user's success.
      expect((await answer(await signIn(ivan.UserName, GOOD, attacker))).status).toBe(401);
    });

    it('counts the addresses of one IPv6 /64 together', async () => {
      const jane = await newUser();
      for (let i = 1; i <= 5; i++) await signIn(jane.UserName, 'Wrong-Passw0rd!', `2001:db8:7:7::${i}`);
      expect((await answer(await signIn(jane.UserName, GOOD, '2001:db8:7:7:ffff::1'))).status).toBe(401);
      expect((await signIn(jane.UserName, GOOD, '2001:db8:7:8::1')).status).toBe(201);
    });

    it('root is under the same rules: locked from the guessing source only', async () => {
      const asRoot = (Password: string, from: string) =>
        fetch(`${system.base}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
          body: JSON.stringify({ Root: true, Password }),
        });
      for (let i = 0; i < 5; i++) expect(await answer(await asRoot(`Root-Guess-${i}`, '198.51.100.99'))).toEqual({ status: 401, code: 'SignInFailed' });
      expect(await answer(await asRoot(ROOT_PASSWORD, '198.51.100.99'))).toEqual({ status: 401, code: 'SignInFailed' });
      expect((await asRoot(ROOT_PASSWORD, '203.0.113.99')).status).toBe(201);
    });
  });

  describe('floods', () => {
    it('throttles a flood from one source at the gateway (429), before any hashing', async () => {
      const replies = await Promise.all(Array.from({ length: 80 }, (_, i) => signIn(`flood-src-${i}`, 'Wrong-Passw0rd!', '198.51.100.50').then(answer)));
      expect(replies.filter((r) => r.status >= 500)).toEqual([]);
      expect(replies.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(40);
      expect(new Set(replies.map((r) => `${r.status} ${r.code}`))).toEqual(new Set(['401 SignInFailed', '429 Throttling']));
    });

    it('throttles a flood on one user name from many sources (429)', async () => {
      const replies = await Promise.all(Array.from({ length: 80 }, (_, i) => signIn('flood-target', 'Wrong-Passw0rd!', `10.9.${i >> 8}.${i & 255}`).then(answer)));
      expect(replies.filter((r) => r.status >= 500)).toEqual([]);
      expect(replies.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(20);
    });

    it('refuses passwords over 128 characters before hashing, and a signed GetUser still answers during a flood; the flood gets 400/401/429, never 5xx', async () => {
      const kate = await newUser();
      const long = 'L'.repeat(1_000);
      const longReplies = Promise.all(Array.from({ length: 50 }, (_, i) => signIn(`long-${i}`, long, `10.20.${i}.1`).then(answer)));
      // Distinct sources and names pass the gateway's limits: the password queue bounds the work.
      const flood = Promise.all(Array.from({ length: 100 }, (_, i) => signIn(`hash-flood-${i}`, 'Wrong-Passw0rd!', `10.30.${i}.1`).then(answer)));
      const getUser = await signedFetch(system.base, kate.key, {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: 'Action=GetUser&Version=2010-05-08',
      });
      expect(getUser.status).toBe(200);
      expect(await getUser.text()).toContain(`<UserName>${kate.UserName}</UserName>`);
      const longAnswers = await longReplies;
      expect(new Set(longAnswers.map((r) => `${r.status} ${r.code}`))).toEqual(new Set(['400 ValidationError']));
      const floodAnswers = await flood;
      expect(floodAnswers.filter((r) => r.status >= 500)).toEqual([]);
      for (const r of floodAnswers) expect(['401 SignInFailed', '429 Throttling']).toContain(`${r.status} ${r.code}`);
      expect(floodAnswers.some((r) => r.status === 429)).toBe(true);
      // The real user still signs in once the flood is over.
      expect((await signIn(kate.UserName, GOOD, '203.0.113.90')).status).toBe(201);
    });
  });
}

describe('authentication attacks: embedded default (`npm start`)', () => {
  let dataDir: string;
  let app: RunningProcess | undefined;

  afterAll(async () => {
    await app?.stop('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  attacks(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'iam-attacks-'));
    const port = await freePort();
    app = startApp('standalone', {
      DATABASE_URL: '',
      NATS_URL: '',
      IAM_ROOT_ACCESS_KEY_ID: '',
      IAM_ROOT_SECRET_ACCESS_KEY: '',
      IAM_MASTER_KEY: '',
      PORT: String(port),
      IAM_DATA_DIR: dataDir,
      IAM_ROOT_PASSWORD: ROOT_PASSWORD,
      ...LIMITS,
    });
    const base = `http://127.0.0.1:${port}`;
    await waitForStatus(`${base}/health`, 200, 120_000);
    const root: Credentials = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8'));
    return { base, root };
  });
});

describeWithServices('authentication attacks: distributed mode (NATS and PostgreSQL)', () => {
  let stop: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await stop?.();
  });

  attacks(async () => {
    const system = await startDistributedSystem({ ...LIMITS, IAM_ROOT_PASSWORD: ROOT_PASSWORD });
    stop = system.stop;
    return { base: system.base, root: system.root };
  });
});
