import { createHash, randomBytes } from 'node:crypto';
import { prepareSigV4Verification } from '@iam/aws-protocol';
import { BusClient, IdentityPatterns as P } from '@iam/contracts';
import { createTestDatabase, describeWithServices, officialSigner, smithyRequest, TEST_NATS_URL, testBusClient, TestDatabase, toWire } from '@iam/testing';
import { RunningProcess, start, startApp } from './support/processes';

// These specs start the identity app as a process.
jest.setTimeout(180_000);

const keyId = (key: string) => createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 16);

/**
 * The identity process and its master key as an operator handles them:
 * refusing to start without the key that sealed the stored secrets, the
 * rotation command, and SigV4 verification across all of it.
 */
describeWithServices('identity process: master key and rotate-master-key', () => {
  const first = randomBytes(32).toString('base64');
  const second = randomBytes(32).toString('base64');
  let database: TestDatabase;
  let env: Record<string, string>;
  let bus: BusClient & { close(): Promise<void> };
  let identity: RunningProcess | undefined;
  let credentials: { accessKeyId: string; secretAccessKey: string };

  const startIdentity = async (extra: Record<string, string>) => {
    identity = startApp('identity', { ...env, ...extra });
    await identity.waitForLine(/is listening on the bus/);
    // NATS registers the new subscriptions a moment after the process said so.
    for (let attempt = 0; ; attempt++) {
      try {
        await bus.send(P.Health, {}, { timeoutMs: 1_000 });
        return;
      } catch (error) {
        if (attempt > 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };

  const refusesToStart = async (extra: Record<string, string>) => {
    const refused = startApp('identity', { ...env, ...extra });
    const line = await refused.waitForLine(/configuration error/);
    expect(await refused.waitForExit()).toBe(1);
    return line;
  };

  const verify = async () => {
    const now = new Date();
    const signed = await officialSigner(credentials).sign(smithyRequest({ query: { Action: 'GetUser' } }, 'https://iam.example.test'), { signingDate: now });
    const prepared = prepareSigV4Verification(toWire(signed), { now });
    const { Principal } = await bus.send(P.VerifySignature, {
      AccessKeyId: prepared.accessKeyId,
      Scope: { Date: prepared.scope.date, Region: prepared.scope.region, Service: prepared.scope.service },
      StringToSign: prepared.stringToSign,
      Signature: prepared.signature,
    });
    return Principal;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const prefix = `e2e${randomBytes(4).toString('hex')}`;
    env = {
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: database.url,
      IAM_BUS_SUBJECT_PREFIX: prefix,
      IAM_ACCOUNT_ID: '123456789012',
      IAM_DB_POOL_SIZE: '3',
      LOG_LEVEL: 'info',
      IAM_MASTER_KEY: '',
      IAM_MASTER_KEY_PREVIOUS: '',
    };
    bus = await testBusClient({ kind: 'nats', url: TEST_NATS_URL, prefix });
  });

  afterAll(async () => {
    await identity?.stop('SIGKILL');
    await bus?.close();
    await database?.drop();
  });

  it('creates a key under the first master key and verifies a signature made with it', async () => {
    await startIdentity({ IAM_MASTER_KEY: first });
    await bus.send(P.CreateUser, { UserName: 'operator', Path: '/ops/' });
    const { AccessKey } = await bus.send(P.CreateAccessKey, { UserName: 'operator' });
    credentials = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
    expect(await verify()).toMatchObject({ Type: 'user', UserName: 'operator', Arn: 'arn:aws:iam::123456789012:user/ops/operator' });
    // A graceful stop writes the key's recorded use.
    expect(await identity?.stop('SIGTERM')).toBe(0);
    await startIdentity({ IAM_MASTER_KEY: first });
    expect((await bus.send(P.GetAccessKeyLastUsed, { AccessKeyId: credentials.accessKeyId })).AccessKeyLastUsed).toMatchObject({
      ServiceName: 'iam',
      Region: 'us-east-1',
    });
    expect(await identity?.stop('SIGTERM')).toBe(0);
  });

  it('refuses to start without the master key, or with another one, in one line each', async () => {
    expect(await refusesToStart({})).toBe(
      `identity: configuration error: IAM_MASTER_KEY is required: the database holds 1 access key secret(s) encrypted under master key id ${keyId(first)}`,
    );
    expect(await refusesToStart({ IAM_MASTER_KEY: second })).toBe(
      `identity: configuration error: IAM_MASTER_KEY does not match the master key (id ${keyId(first)}) of 1 stored access key secret(s); set IAM_MASTER_KEY_PREVIOUS to that key and run rotate-master-key`,
    );
    expect(await refusesToStart({ IAM_MASTER_KEY: 'not-base64-32-bytes' })).toBe(
      'identity: configuration error: IAM_MASTER_KEY must be 32 bytes encoded as base64 (openssl rand -base64 32)',
    );
  });

  it('rotates: the previous key keeps working until `rotate-master-key` re-encrypted every secret', async () => {
    await startIdentity({ IAM_MASTER_KEY: second, IAM_MASTER_KEY_PREVIOUS: first });
    expect((await verify()).Type).toBe('user');

    const missing = start('rotate', process.execPath, ['dist/apps/identity/main.js', 'rotate-master-key'], { ...env, IAM_MASTER_KEY: second });
    expect(await missing.waitForLine(/configuration error/)).toBe(
      'identity rotate-master-key: configuration error: IAM_MASTER_KEY_PREVIOUS is required (the key being retired)',
    );
    expect(await missing.waitForExit()).toBe(1);

    const rotation = start('rotate', process.execPath, ['dist/apps/identity/main.js', 'rotate-master-key'], {
      ...env,
      IAM_MASTER_KEY: second,
      IAM_MASTER_KEY_PREVIOUS: first,
    });
    expect(await rotation.waitForLine(/re-encrypted/)).toBe(
      `identity rotate-master-key: re-encrypted 1 access key secret(s) from master key ${keyId(first)} to ${keyId(second)}.`,
    );
    expect(await rotation.stop()).toBe(0);
    expect((await verify()).Type).toBe('user');
    expect(await identity?.stop('SIGTERM')).toBe(0);

    await startIdentity({ IAM_MASTER_KEY: second });
    expect(await verify()).toMatchObject({ Type: 'user', UserName: 'operator' });
  });
});
