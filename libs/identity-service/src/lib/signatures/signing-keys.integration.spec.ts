import { deriveSigningKey, INVALID_CLIENT_TOKEN_ID_MESSAGE, signStringToSign } from '@iam/aws-protocol';
import { GetSigningKeyRequest, IdentityPatterns as P, RecordAccessKeyUseRequest } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { ACCOUNT_ID, failure, IdentityUnderTest, newMasterKey, startIdentity } from '../../test-support/harness';
import { Credentials, prepare, presign, signWithHeader, verificationOf } from '../../test-support/sigv4';
import { KeyUsageRecorder } from '../access-keys/key-usage.recorder';

const ROOT: Credentials = { accessKeyId: 'AKIAROOTDERIVEDKEYS0', secretAccessKey: 'Root+Derived/Example0123456789abcdefghiK' };
const SCOPE = { Date: '20261128', Region: 'us-east-1', Service: 'iam' };
const unknownKey = { code: 'InvalidClientTokenId', message: INVALID_CLIENT_TOKEN_ID_MESSAGE };

/**
 * The data plane's side of identity: derived signing keys for a gateway that
 * verifies signatures itself (`GetSigningKey`), and the uses it reports
 * (`RecordAccessKeyUse`).
 */
describeWithServices('derived signing keys and reported key uses', () => {
  let identity: IdentityUnderTest;
  let counter = 0;

  beforeAll(async () => {
    identity = await startIdentity({
      env: { IAM_MASTER_KEY: newMasterKey(), IAM_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, IAM_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey },
      // Uses are written when the spec flushes the recorder, never behind its back.
      options: { keyUsageFlushMs: 3_600_000 },
    });
  });

  afterAll(async () => {
    await identity?.close();
  });

  const bus = () => identity.bus;
  const flush = () => identity.service.get(KeyUsageRecorder).flush();
  const signingKey = (AccessKeyId: string, Scope = SCOPE) => bus().send(P.GetSigningKey, { AccessKeyId, Scope });
  const lastUsed = async (AccessKeyId: string) => (await bus().send(P.GetAccessKeyLastUsed, { AccessKeyId })).AccessKeyLastUsed;

  /** A new user (with a path and tags) and one active key whose secret the spec knows. */
  async function newKey(): Promise<{ user: { UserId: string; UserName: string }; credentials: Credentials; n: number }> {
    const n = ++counter;
    const { User } = await bus().send(P.CreateUser, {
      UserName: `derived-${n}`,
      Path: '/data/plane/',
      Tags: [
        { Key: 'team', Value: 'edge' },
        { Key: 'n', Value: String(n) },
      ],
    });
    const { AccessKey } = await bus().send(P.CreateAccessKey, { UserName: User.UserName });
    return { user: User, credentials: { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey }, n };
  }

  const principalOf = (user: { UserId: string; UserName: string }, n: number) => ({
    Type: 'user',
    AccountId: ACCOUNT_ID,
    UserId: user.UserId,
    UserName: user.UserName,
    Path: '/data/plane/',
    Arn: `arn:aws:iam::${ACCOUNT_ID}:user/data/plane/${user.UserName}`,
    Tags: [
      { Key: 'team', Value: 'edge' },
      { Key: 'n', Value: String(n) },
    ],
  });

  describe('GetSigningKey', () => {
    it("answers the key's derived signing key for the scope (as deriveSigningKey makes it from the secret) and its principal with name, path and tags", async () => {
      const { user, credentials, n } = await newKey();
      const reply = await signingKey(credentials.accessKeyId);
      expect(reply).toEqual({
        SigningKey: deriveSigningKey(credentials.secretAccessKey, SCOPE.Date, SCOPE.Region, SCOPE.Service).toString('hex'),
        Principal: principalOf(user, n),
      });
      expect(reply.SigningKey).toMatch(/^[0-9a-f]{64}$/);

      // Another day, region or service: another key, each as derived from the secret.
      for (const scope of [
        { ...SCOPE, Date: '20261129' },
        { ...SCOPE, Region: 'eu-west-1' },
        { ...SCOPE, Service: 'sts' },
      ]) {
        const other = await signingKey(credentials.accessKeyId, scope);
        expect(other.SigningKey).toBe(deriveSigningKey(credentials.secretAccessKey, scope.Date, scope.Region, scope.Service).toString('hex'));
        expect(other.SigningKey).not.toBe(reply.SigningKey);
      }
    });

    it('gives a key that checks official-signer signatures exactly as VerifySignature does, and signs strings VerifySignature accepts', async () => {
      const { user, credentials, n } = await newKey();
      for (const signed of [await signWithHeader(credentials, { query: { Action: 'ListUsers' } }), await presign(credentials, {}, 'ap-southeast-2')]) {
        const message = verificationOf(prepare(signed));
        const { SigningKey, Principal } = await signingKey(message.AccessKeyId, message.Scope);
        const key = Buffer.from(SigningKey, 'hex');
        // The gateway's own check: HMAC-SHA256(signing key, string to sign) against the request's signature.
        expect(signStringToSign(key, message.StringToSign)).toBe(message.Signature);
        await expect(bus().send(P.VerifySignature, message)).resolves.toEqual({ Principal });

        // A string to sign of the gateway's own, signed with the derived key: identity accepts the signature.
        const stringToSign = `AWS4-HMAC-SHA256\n20261128T010203Z\n${message.Scope.Date}/${message.Scope.Region}/${message.Scope.Service}/aws4_request\n${'ab'.repeat(32)}`;
        const Signature = signStringToSign(key, stringToSign);
        await expect(bus().send(P.VerifySignature, { ...message, StringToSign: stringToSign, Signature })).resolves.toEqual({ Principal: principalOf(user, n) });
        expect(await failure(bus().send(P.VerifySignature, { ...message, StringToSign: `${stringToSign}x`, Signature }))).toMatchObject({ code: 'SignatureDoesNotMatch' });
      }
    });

    it('answers the root key with the root principal and the root secret’s derived key', async () => {
      await expect(signingKey(ROOT.accessKeyId)).resolves.toEqual({
        SigningKey: deriveSigningKey(ROOT.secretAccessKey, SCOPE.Date, SCOPE.Region, SCOPE.Service).toString('hex'),
        Principal: { Type: 'root', AccountId: ACCOUNT_ID, UserId: ACCOUNT_ID, Arn: `arn:aws:iam::${ACCOUNT_ID}:root`, Tags: [] },
      });
    });

    it('refuses an unknown key', async () => {
      expect(await failure(signingKey('AKIAUNKNOWNDERIVED00'))).toEqual(unknownKey);
    });

    it('refuses an inactive key even with its derived key cached, and answers it again once reactivated', async () => {
      const { user, credentials } = await newKey();
      const before = await signingKey(credentials.accessKeyId);
      await bus().send(P.UpdateAccessKey, { UserName: user.UserName, AccessKeyId: credentials.accessKeyId, Status: 'Inactive' });
      expect(await failure(signingKey(credentials.accessKeyId))).toEqual(unknownKey);
      await bus().send(P.UpdateAccessKey, { UserName: user.UserName, AccessKeyId: credentials.accessKeyId, Status: 'Active' });
      await expect(signingKey(credentials.accessKeyId)).resolves.toEqual(before);
    });

    it('refuses a key another replica deactivated, without any event (the database is read on every call)', async () => {
      const { credentials } = await newKey();
      await signingKey(credentials.accessKeyId);
      await identity.sql("UPDATE identity.access_keys SET status = 'Inactive' WHERE access_key_id = $1", [credentials.accessKeyId]);
      expect(await failure(signingKey(credentials.accessKeyId))).toEqual(unknownKey);
    });

    it('refuses a deleted key', async () => {
      const { user, credentials } = await newKey();
      await signingKey(credentials.accessKeyId);
      await bus().send(P.DeleteAccessKey, { UserName: user.UserName, AccessKeyId: credentials.accessKeyId });
      expect(await failure(signingKey(credentials.accessKeyId))).toEqual(unknownKey);
    });

    it('refuses the key of a user being deleted', async () => {
      const { user, credentials } = await newKey();
      await signingKey(credentials.accessKeyId);
      await identity.sql("UPDATE identity.users SET state = 'deleting' WHERE user_id = $1", [user.UserId]);
      expect(await failure(signingKey(credentials.accessKeyId))).toEqual(unknownKey);
    });

    it('answers ValidationError for a malformed scope or key id', async () => {
      const { credentials } = await newKey();
      const invalid = async (request: unknown) => (await failure(bus().send(P.GetSigningKey, request as GetSigningKeyRequest))).code;
      expect(await invalid({ AccessKeyId: credentials.accessKeyId, Scope: { ...SCOPE, Date: '2026-11-28' } })).toBe('ValidationError');
      expect(await invalid({ AccessKeyId: credentials.accessKeyId, Scope: { ...SCOPE, Region: 'a/b' } })).toBe('ValidationError');
      expect(await invalid({ AccessKeyId: credentials.accessKeyId, Scope: SCOPE, StringToSign: 'x' })).toBe('ValidationError');
      expect(await invalid({ AccessKeyId: '', Scope: SCOPE })).toBe('ValidationError');
    });

    it('records no use', async () => {
      const { credentials } = await newKey();
      await signingKey(credentials.accessKeyId);
      await signingKey(ROOT.accessKeyId, { ...SCOPE, Region: 'sa-east-1' });
      await flush();
      expect(await lastUsed(credentials.accessKeyId)).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
      expect((await lastUsed(ROOT.accessKeyId)).Region).not.toBe('sa-east-1');
    });

    const deactivations: Array<[string, (user: { UserName: string }, accessKeyId: string) => Promise<unknown>]> = [
      ['UpdateAccessKey', (user, AccessKeyId) => bus().send(P.UpdateAccessKey, { UserName: user.UserName, AccessKeyId, Status: 'Inactive' })],
      ["another replica's UPDATE (no event, no cache invalidation here)", (_user, id) => identity.sql("UPDATE identity.access_keys SET status = 'Inactive' WHERE access_key_id = $1", [id])],
    ];

    it.each(deactivations)('refuses every one of 30 concurrent calls that starts after the deactivation (%s) returned, the cached derived key notwithstanding', async (_how, deactivate) => {
      const { user, credentials } = await newKey();
      const expected = await signingKey(credentials.accessKeyId);
      const calls: Array<Promise<{ startedAt: number; endedAt: number; outcome: 'ok' | string }>> = [];
      const call = () => {
        const startedAt = performance.now();
        calls.push(
          signingKey(credentials.accessKeyId).then(
            (reply) => {
              expect(reply).toEqual(expected);
              return { startedAt, endedAt: performance.now(), outcome: 'ok' };
            },
            (error: { code: string }) => ({ startedAt, endedAt: performance.now(), outcome: error.code }),
          ),
        );
      };
      const pause = () => new Promise((resolve) => setTimeout(resolve, 2));

      for (let i = 0; i < 10; i++) {
        call();
        await pause();
      }
      const deactivationSentAt = performance.now();
      const deactivation = deactivate(user, credentials.accessKeyId);
      for (let i = 0; i < 10; i++) {
        call();
        await pause();
      }
      await deactivation;
      const deactivatedAt = performance.now();
      for (let i = 0; i < 10; i++) call();

      const results = await Promise.all(calls);
      expect(results).toHaveLength(30);
      expect(results.every((result) => result.outcome === 'ok' || result.outcome === 'InvalidClientTokenId')).toBe(true);
      const after = results.filter((result) => result.startedAt >= deactivatedAt);
      expect(after.length).toBeGreaterThanOrEqual(10);
      expect(after.map((result) => result.outcome)).toEqual(after.map(() => 'InvalidClientTokenId'));
      // A call answered before the deactivation was sent saw the key active.
      for (const result of results.filter((r) => r.endedAt < deactivationSentAt)) expect(result.outcome).toBe('ok');
    });
  });

  describe('RecordAccessKeyUse', () => {
    it('records the uses a gateway reports, as GetAccessKeyLastUsed shows them, for user keys and the root key; unknown keys are ignored', async () => {
      const { credentials } = await newKey();
      const at = '2026-11-28T09:08:07.654Z';
      await expect(
        bus().send(P.RecordAccessKeyUse, {
          Uses: [
            { AccessKeyId: credentials.accessKeyId, At: at, Service: 'iam', Region: 'eu-central-1' },
            { AccessKeyId: 'AKIAUNKNOWNREPORTED0', At: at, Service: 'iam', Region: 'us-east-1' },
            { AccessKeyId: ROOT.accessKeyId, At: '2030-01-02T03:04:05.000Z', Service: 'iam', Region: 'ap-northeast-1' },
          ],
        }),
      ).resolves.toEqual({});
      // Held in memory until the recorder writes.
      expect(await lastUsed(credentials.accessKeyId)).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
      await flush();
      expect(await lastUsed(credentials.accessKeyId)).toEqual({ LastUsedDate: at, ServiceName: 'iam', Region: 'eu-central-1' });
      expect(await lastUsed(ROOT.accessKeyId)).toEqual({ LastUsedDate: '2030-01-02T03:04:05.000Z', ServiceName: 'iam', Region: 'ap-northeast-1' });
      expect(await identity.sql('SELECT 1 FROM identity.access_keys WHERE access_key_id = $1', ['AKIAUNKNOWNREPORTED0'])).toEqual([]);
    });

    it('keeps the latest use per key, within a batch and across writes', async () => {
      const { credentials } = await newKey();
      const use = (At: string, Region: string) => ({ AccessKeyId: credentials.accessKeyId, At, Service: 'iam', Region });
      await bus().send(P.RecordAccessKeyUse, { Uses: [use('2026-11-28T10:00:02.000Z', 'us-west-2'), use('2026-11-28T10:00:01.000Z', 'us-east-2')] });
      await flush();
      expect(await lastUsed(credentials.accessKeyId)).toEqual({ LastUsedDate: '2026-11-28T10:00:02.000Z', ServiceName: 'iam', Region: 'us-west-2' });
      await bus().send(P.RecordAccessKeyUse, { Uses: [use('2026-11-28T10:00:00.000Z', 'eu-north-1')] });
      await flush();
      expect((await lastUsed(credentials.accessKeyId)).Region).toBe('us-west-2');
      await bus().send(P.RecordAccessKeyUse, { Uses: [use('2026-11-28T10:00:03.000Z', 'eu-north-1')] });
      await flush();
      expect(await lastUsed(credentials.accessKeyId)).toEqual({ LastUsedDate: '2026-11-28T10:00:03.000Z', ServiceName: 'iam', Region: 'eu-north-1' });
    });

    it('lands every one of 50 concurrent reports for several keys: the latest use of each key wins', async () => {
      const keys = await Promise.all(Array.from({ length: 5 }, () => newKey()));
      const base = Date.parse('2026-12-01T00:00:00.000Z');
      // 50 reports of two uses each, every key in 20 of them, each use at its own instant, sent in a shuffled order.
      const reports = Array.from({ length: 50 }, (_, i) => ({
        Uses: [0, 1].map((j) => {
          const n = 2 * i + j;
          return { AccessKeyId: keys[n % 5].credentials.accessKeyId, At: new Date(base + n * 1_000).toISOString(), Service: `svc-${n}`, Region: `region-${n}` };
        }),
      }));
      const order = reports.map((_, i) => (i * 17) % 50);
      expect(new Set(order).size).toBe(50);
      const replies = await Promise.all(order.map((i) => bus().send(P.RecordAccessKeyUse, reports[i])));
      expect(replies).toEqual(reports.map(() => ({})));
      await flush();

      const latest = keys.map((_, k) => {
        const n = 95 + k; // the last of 0..99 with n % 5 === k
        return { LastUsedDate: new Date(base + n * 1_000).toISOString(), ServiceName: `svc-${n}`, Region: `region-${n}` };
      });
      expect(await Promise.all(keys.map((key) => lastUsed(key.credentials.accessKeyId)))).toEqual(latest);
    });

    it('answers ValidationError for an empty report, a date that is not ISO 8601, or a use without a service', async () => {
      const { credentials } = await newKey();
      const invalid = async (request: unknown) => (await failure(bus().send(P.RecordAccessKeyUse, request as RecordAccessKeyUseRequest))).code;
      expect(await invalid({ Uses: [] })).toBe('ValidationError');
      expect(await invalid({ Uses: [{ AccessKeyId: credentials.accessKeyId, At: 'yesterday', Service: 'iam', Region: 'us-east-1' }] })).toBe('ValidationError');
      expect(await invalid({ Uses: [{ AccessKeyId: credentials.accessKeyId, At: '2026-11-28T10:00:00Z', Region: 'us-east-1' }] })).toBe('ValidationError');
      await flush();
      expect(await lastUsed(credentials.accessKeyId)).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
    });
  });
});
