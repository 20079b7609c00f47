import { createHash } from 'node:crypto';
import { ConfigError } from '@iam/platform';
import { IdentityEvents, IdentityPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import {
  ACCOUNT_ID,
  eventually,
  failure,
  FakeClock,
  IdentityUnderTest,
  listenToIdentityEvents,
  newMasterKey,
  startIdentity,
} from '../../test-support/harness';
import { prepare, signWithHeader, verificationOf } from '../../test-support/sigv4';
import { rotateMasterKey } from './rotate-master-key';

const ROOT_KEY_ID = 'AKIAROOTROOTROOTROOT';
const ROOT_SECRET = 'root/secret+ROOTSECRETrootsecret0123456789';
const keyIdOf = (base64: string) => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').slice(0, 16);

describeWithServices('access keys', () => {
  const clock = new FakeClock();
  const key = newMasterKey();
  let identity: IdentityUnderTest;
  let listener: Awaited<ReturnType<typeof listenToIdentityEvents>>;

  beforeAll(async () => {
    identity = await startIdentity({
      ports: { clock },
      env: { IAM_MASTER_KEY: key, IAM_ROOT_ACCESS_KEY_ID: ROOT_KEY_ID, IAM_ROOT_SECRET_ACCESS_KEY: ROOT_SECRET },
      options: { keyUsageFlushMs: 50 },
    });
    listener = await listenToIdentityEvents(identity.transport);
  });

  afterAll(async () => {
    await listener?.close();
    await identity?.close();
  });

  const bus = () => identity.bus;
  let counter = 0;
  const newUser = async () => (await bus().send(P.CreateUser, { UserName: `keyed-${++counter}` })).User;
  const caller = (UserId: string) => ({ Type: 'user' as const, UserId });

  it('creates a key with AWS shapes, shows the secret once and stores it sealed under the master key', async () => {
    const user = await newUser();
    const { AccessKey } = await bus().send(P.CreateAccessKey, { UserName: user.UserName.toUpperCase() });
    expect(AccessKey).toEqual({
      UserName: user.UserName,
      AccessKeyId: expect.stringMatching(/^AKIA[A-Z0-9]{16}$/),
      Status: 'Active',
      SecretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/),
      CreateDate: clock.now().toISOString(),
    });
    const [row] = await identity.sql<{ secret_sealed: Buffer; master_key_id: string; whole: string }>(
      'SELECT secret_sealed, master_key_id, k::text AS whole FROM identity.access_keys k WHERE access_key_id = $1',
      [AccessKey.AccessKeyId],
    );
    expect(row.master_key_id).toBe(keyIdOf(key));
    expect(row.secret_sealed.toString('latin1')).not.toContain(AccessKey.SecretAccessKey);
    expect(row.whole).not.toContain(AccessKey.SecretAccessKey);

    const listed = await bus().send(P.ListAccessKeys, { UserName: user.UserName });
    expect(listed).toEqual({
      AccessKeyMetadata: [{ UserName: user.UserName, AccessKeyId: AccessKey.AccessKeyId, Status: 'Active', CreateDate: AccessKey.CreateDate }],
      IsTruncated: false,
    });
    expect(JSON.stringify(listed)).not.toContain(AccessKey.SecretAccessKey);
  });

  it('creates and lists for the caller when no user name is given', async () => {
    const user = await newUser();
    const { AccessKey } = await bus().send(P.CreateAccessKey, { Caller: caller(user.UserId) });
    expect(AccessKey.UserName).toBe(user.UserName);
    expect((await bus().send(P.ListAccessKeys, { Caller: caller(user.UserId) })).AccessKeyMetadata.map((k) => k.AccessKeyId)).toEqual([
      AccessKey.AccessKeyId,
    ]);
    expect((await failure(bus().send(P.CreateAccessKey, {}))).code).toBe('ValidationError');
    expect((await failure(bus().send(P.CreateAccessKey, { UserName: 'ghost' }))).code).toBe('NoSuchEntity');
  });

  it('allows two keys per user, inactive ones included', async () => {
    const user = await newUser();
    const first = (await bus().send(P.CreateAccessKey, { UserName: user.UserName })).AccessKey;
    await bus().send(P.UpdateAccessKey, { UserName: user.UserName, AccessKeyId: first.AccessKeyId, Status: 'Inactive' });
    clock.advance(1_000);
    const second = (await bus().send(P.CreateAccessKey, { UserName: user.UserName })).AccessKey;
    expect(await failure(bus().send(P.CreateAccessKey, { UserName: user.UserName }))).toEqual({
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
    });
    const parallel = await Promise.allSettled([
      bus().send(P.CreateAccessKey, { UserName: user.UserName }),
      bus().send(P.CreateAccessKey, { UserName: user.UserName }),
    ]);
    expect(parallel.every((r) => r.status === 'rejected')).toBe(true);

    // Oldest first, paginated.
    const page1 = await bus().send(P.ListAccessKeys, { UserName: user.UserName, MaxItems: 1 });
    expect(page1.AccessKeyMetadata.map((k) => [k.AccessKeyId, k.Status])).toEqual([[first.AccessKeyId, 'Inactive']]);
    expect(page1.IsTruncated).toBe(true);
    const page2 = await bus().send(P.ListAccessKeys, { UserName: user.UserName, MaxItems: 1, Marker: page1.Marker as string });
    expect(page2).toEqual({ AccessKeyMetadata: [expect.objectContaining({ AccessKeyId: second.AccessKeyId, Status: 'Active' })], IsTruncated: false });
  });

  it('updates status and deletes keys of the named user only, publishing credentials.revoked', async () => {
    const owner = await newUser();
    const other = await newUser();
    const { AccessKey } = await bus().send(P.CreateAccessKey, { UserName: owner.UserName });
    const notFound = { code: 'NoSuchEntity', message: `The Access Key with id ${AccessKey.AccessKeyId} cannot be found.` };
    expect(await failure(bus().send(P.UpdateAccessKey, { UserName: other.UserName, AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' }))).toEqual(
      notFound,
    );
    expect(await failure(bus().send(P.DeleteAccessKey, { UserName: other.UserName, AccessKeyId: AccessKey.AccessKeyId }))).toEqual(notFound);
    expect((await failure(bus().send(P.UpdateAccessKey, { UserName: owner.UserName, AccessKeyId: AccessKey.AccessKeyId, Status: 'Off' } as never))).code).toBe(
      'ValidationError',
    );

    await bus().send(P.UpdateAccessKey, { Caller: caller(owner.UserId), AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
    expect((await bus().send(P.ListAccessKeys, { UserName: owner.UserName })).AccessKeyMetadata[0].Status).toBe('Inactive');
    await bus().send(P.UpdateAccessKey, { UserName: owner.UserName, AccessKeyId: AccessKey.AccessKeyId, Status: 'Active' });
    await bus().send(P.DeleteAccessKey, { UserName: owner.UserName, AccessKeyId: AccessKey.AccessKeyId });
    expect((await bus().send(P.ListAccessKeys, { UserName: owner.UserName })).AccessKeyMetadata).toEqual([]);
    expect(await failure(bus().send(P.DeleteAccessKey, { UserName: owner.UserName, AccessKeyId: AccessKey.AccessKeyId }))).toEqual(notFound);

    const revocations = () =>
      listener.events.filter((e) => e.event === IdentityEvents.CredentialsRevoked && e.payload['AccessKeyId'] === AccessKey.AccessKeyId);
    expect(await eventually(() => revocations().length === 2)).toBe(true);
    expect(revocations()[0].payload).toEqual({ UserId: owner.UserId, Reason: 'access-key', AccessKeyId: AccessKey.AccessKeyId });
  });

  it("shows root's configured key and refuses to change it", async () => {
    const root = { Type: 'root' as const };
    const listed = await bus().send(P.ListAccessKeys, { Caller: root });
    expect(listed).toEqual({ AccessKeyMetadata: [{ AccessKeyId: ROOT_KEY_ID, Status: 'Active', CreateDate: expect.any(String) }], IsTruncated: false });
    const configured = {
      code: 'InvalidInput',
      message: "The root user's access key is set in the service configuration (IAM_ROOT_ACCESS_KEY_ID) and cannot be changed here.",
    };
    expect(await failure(bus().send(P.CreateAccessKey, { Caller: root }))).toEqual(configured);
    expect(await failure(bus().send(P.UpdateAccessKey, { Caller: root, AccessKeyId: ROOT_KEY_ID, Status: 'Inactive' }))).toEqual(configured);
    expect(await failure(bus().send(P.DeleteAccessKey, { Caller: root, AccessKeyId: ROOT_KEY_ID }))).toEqual(configured);
    expect((await failure(bus().send(P.DeleteAccessKey, { Caller: root, AccessKeyId: 'AKIANOTROOTNOTROOT12' }))).code).toBe('NoSuchEntity');
  });

  it('reports last use as N/A until the key signs a request, then its date, service and region', async () => {
    const user = (await bus().send(P.CreateUser, { UserName: `keyed-${++counter}`, Path: '/team/' })).User;
    const { AccessKey } = await bus().send(P.CreateAccessKey, { UserName: user.UserName });
    await expect(bus().send(P.GetAccessKeyLastUsed, { AccessKeyId: AccessKey.AccessKeyId })).resolves.toEqual({
      UserName: user.UserName,
      UserArn: `arn:aws:iam::${ACCOUNT_ID}:user/team/${user.UserName}`,
      AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
    });
    const request = await signWithHeader({ accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey }, {}, 'eu-central-1');
    await bus().send(P.VerifySignature, verificationOf(prepare(request)));
    const expected = { UserName: user.UserName, UserArn: user.Arn, AccessKeyLastUsed: { LastUsedDate: clock.now().toISOString(), ServiceName: 'iam', Region: 'eu-central-1' } };
    expect(
      await eventually(async () => JSON.stringify(await bus().send(P.GetAccessKeyLastUsed, { AccessKeyId: AccessKey.AccessKeyId })) === JSON.stringify(expected)),
    ).toBe(true);
    expect(await failure(bus().send(P.GetAccessKeyLastUsed, { AccessKeyId: 'AKIAUNKNOWNUNKNOWN00' }))).toEqual({
      code: 'NoSuchEntity',
      message: 'The Access Key with id AKIAUNKNOWNUNKNOWN00 cannot be found.',
    });
  });

  it("records the root key's use under UserName root", async () => {
    await expect(bus().send(P.GetAccessKeyLastUsed, { AccessKeyId: ROOT_KEY_ID })).resolves.toEqual({
      UserName: 'root',
      UserArn: `arn:aws:iam::${ACCOUNT_ID}:root`,
      AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
    });
    const request = await signWithHeader({ accessKeyId: ROOT_KEY_ID, secretAccessKey: ROOT_SECRET });
    await bus().send(P.VerifySignature, verificationOf(prepare(request)));
    expect(
      await eventually(async () => (await bus().send(P.GetAccessKeyLastUsed, { AccessKeyId: ROOT_KEY_ID })).AccessKeyLastUsed.Region === 'us-east-1'),
    ).toBe(true);
  });

  it('writes recorded use when the service shuts down', async () => {
    await identity.restart({ options: { keyUsageFlushMs: 3_600_000 } });
    const user = await newUser();
    const { AccessKey } = await bus().send(P.CreateAccessKey, { UserName: user.UserName });
    const request = await signWithHeader({ accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey });
    await bus().send(P.VerifySignature, verificationOf(prepare(request)));
    expect((await bus().send(P.GetAccessKeyLastUsed, { AccessKeyId: AccessKey.AccessKeyId })).AccessKeyLastUsed.ServiceName).toBe('N/A');
    await identity.restart({ options: { keyUsageFlushMs: 50 } });
    expect((await bus().send(P.GetAccessKeyLastUsed, { AccessKeyId: AccessKey.AccessKeyId })).AccessKeyLastUsed.ServiceName).toBe('iam');
  });
});

describeWithServices('the master key', () => {
  let identity: IdentityUnderTest;
  const first = newMasterKey();
  const second = newMasterKey();

  beforeAll(async () => {
    identity = await startIdentity({ env: { IAM_MASTER_KEY: first } });
  });

  afterAll(async () => {
    await identity?.close();
  });

  const bus = () => identity.bus;
  const verifies = async (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    (await bus().send(P.VerifySignature, verificationOf(prepare(await signWithHeader(credentials))))).Principal.Type;

  it('refuses to start without a master key, or with another one, while secrets are stored; rotates to a new key', async () => {
    await bus().send(P.CreateUser, { UserName: 'rotated' });
    const { AccessKey } = await bus().send(P.CreateAccessKey, { UserName: 'rotated' });
    const credentials = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
    expect(await verifies(credentials)).toBe('user');

    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => {
          throw new Error('expected the service to refuse to start');
        },
        (error: unknown) => {
          expect(error).toBeInstanceOf(ConfigError);
          return (error as ConfigError).problems;
        },
      );
    expect(await refusal(identity.restart({ options: { masterKey: undefined } }))).toEqual([
      `IAM_MASTER_KEY is required: the database holds 1 access key secret(s) encrypted under master key id ${keyIdOf(first)}`,
    ]);
    expect(await refusal(identity.restart({ options: { masterKey: second } }))).toEqual([
      `IAM_MASTER_KEY does not match the master key (id ${keyIdOf(first)}) of 1 stored access key secret(s); set IAM_MASTER_KEY_PREVIOUS to that key and run rotate-master-key`,
    ]);

    // During the rotation: new secrets under the new key, old ones still readable.
    await identity.restart({ options: { masterKey: second, previousMasterKey: first } });
    expect(await verifies(credentials)).toBe('user');
    const { User: other } = await bus().send(P.CreateUser, { UserName: 'rotated-2' });
    const newer = (await bus().send(P.CreateAccessKey, { UserName: other.UserName })).AccessKey;
    const keyIds = async () =>
      (await identity.sql<{ master_key_id: string }>('SELECT master_key_id FROM identity.access_keys ORDER BY create_date, access_key_id')).map(
        (row) => row.master_key_id,
      );
    expect((await identity.sql<{ master_key_id: string }>('SELECT master_key_id FROM identity.access_keys WHERE access_key_id = $1', [newer.AccessKeyId]))[0].master_key_id).toBe(
      keyIdOf(second),
    );

    const result = await rotateMasterKey({ databaseUrl: identity.database.url, currentKey: second, previousKey: first, batchSize: 1 });
    expect(result).toEqual({ fromKeyId: keyIdOf(first), toKeyId: keyIdOf(second), reencrypted: 1, unreadable: {} });
    expect(new Set(await keyIds())).toEqual(new Set([keyIdOf(second)]));
    // Running it again changes nothing.
    expect((await rotateMasterKey({ databaseUrl: identity.database.url, currentKey: second, previousKey: first })).reencrypted).toBe(0);

    // After the rotation the previous key is no longer needed.
    await identity.restart({ options: { masterKey: second, previousMasterKey: undefined } });
    expect(await verifies(credentials)).toBe('user');
    expect(await verifies({ accessKeyId: newer.AccessKeyId, secretAccessKey: newer.SecretAccessKey })).toBe('user');
  });

  it('starts without a master key while no secret is stored, and then cannot create keys', async () => {
    const bare = await startIdentity({});
    try {
      await bare.bus.send(P.CreateUser, { UserName: 'keyless' });
      expect(await failure(bare.bus.send(P.CreateAccessKey, { UserName: 'keyless' }))).toEqual({
        code: 'ServiceUnavailable',
        message: 'The identity service cannot store access keys: IAM_MASTER_KEY is not set.',
      });
    } finally {
      await bare.close();
    }
  });
});
