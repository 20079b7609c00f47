import { INVALID_CLIENT_TOKEN_ID_MESSAGE, SIGNATURE_MISMATCH_MESSAGE, SigV4Request } from '@iam/aws-protocol';
import { IdentityPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { ACCOUNT_ID, failure, IdentityUnderTest, newMasterKey, startIdentity } from '../../test-support/harness';
import { Credentials, prepare, presign, signWithHeader, UnsignedRequest, verificationOf } from '../../test-support/sigv4';

const ROOT: Credentials = { accessKeyId: 'AKIAROOTEXAMPLEROOT1', secretAccessKey: 'Root+Secret/Example0123456789abcdefghijK' };
const QUERY_BODY = 'Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fdivision%2F';
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

/**
 * Requests signed by the official AWS signer (@smithy/signature-v4), parsed by
 * the gateway-side `prepareSigV4Verification`, verified by identity over the bus.
 */
describeWithServices('SigV4 verification against the official AWS signer', () => {
  let identity: IdentityUnderTest;
  let user: { UserId: string; UserName: string };
  let credentials: Credentials;

  beforeAll(async () => {
    identity = await startIdentity({
      env: { IAM_MASTER_KEY: newMasterKey(), IAM_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, IAM_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey },
    });
    user = (await identity.bus.send(P.CreateUser, { UserName: 'signer', Path: '/apps/', Tags: [{ Key: 'env', Value: 'prod' }] })).User;
    const { AccessKey } = await identity.bus.send(P.CreateAccessKey, { UserName: 'signer' });
    credentials = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
  });

  afterAll(async () => {
    await identity?.close();
  });

  const bus = () => identity.bus;
  const verify = (request: SigV4Request) => bus().send(P.VerifySignature, verificationOf(prepare(request)));
  const userPrincipal = () => ({
    Type: 'user',
    AccountId: ACCOUNT_ID,
    UserId: user.UserId,
    UserName: 'signer',
    Path: '/apps/',
    Arn: `arn:aws:iam::${ACCOUNT_ID}:user/apps/signer`,
    Tags: [{ Key: 'env', Value: 'prod' }],
  });

  const requests: Array<[string, UnsignedRequest]> = [
    ['GET without a query', {}],
    ['GET with a query', { query: { Action: 'ListUsers', Version: '2010-05-08', MaxItems: '10' } }],
    ['POST with a Query API body', { method: 'POST', headers: FORM, body: QUERY_BODY }],
    ['POST with a query string and a body', { method: 'POST', query: { a: 'b', z: '' }, headers: FORM, body: QUERY_BODY }],
    ['repeated query keys', { query: { Tag: ['b', 'a', 'c'] } }],
    [
      'unusual characters in the query',
      { query: { 'sp ace': 'a b', tilde: '~x~', unicode: 'héllo wörld ✓ 𝄞', plus: 'a+b', slash: 'a/b%2Fc', reserved: "!'()*&;,:@$", empty: '' } },
    ],
    ['unusual characters in the path', { path: '/a%20b/c~d/./e/../f%2Fg/%E2%9C%93/' }],
    ['headers with runs of spaces', { headers: { 'x-amz-meta-spaces': '  a   b \t c  ', 'content-type': 'text/plain' } }],
  ];

  describe.each([
    ['an Authorization header', signWithHeader],
    ['a presigned URL', presign],
  ])('signed with %s', (_how, sign) => {
    it.each(requests)('%s → the user', async (_name, request) => {
      await expect(verify(await sign(credentials, request))).resolves.toEqual({ Principal: userPrincipal() });
    });

    it('in any region', async () => {
      await expect(verify(await sign(credentials, {}, 'ap-southeast-2'))).resolves.toEqual({ Principal: userPrincipal() });
    });

    it('with the root key → root', async () => {
      await expect(verify(await sign(ROOT, { query: { Action: 'GetUser' } }))).resolves.toEqual({
        Principal: { Type: 'root', AccountId: ACCOUNT_ID, UserId: ACCOUNT_ID, Arn: `arn:aws:iam::${ACCOUNT_ID}:root`, Tags: [] },
      });
    });
  });

  describe('refusals', () => {
    const mismatch = { code: 'SignatureDoesNotMatch', message: SIGNATURE_MISMATCH_MESSAGE };
    const unknownKey = { code: 'InvalidClientTokenId', message: INVALID_CLIENT_TOKEN_ID_MESSAGE };

    it('refuses a signature made with another secret', async () => {
      const forged = await signWithHeader({ ...credentials, secretAccessKey: 'X'.repeat(40) }, { query: { Action: 'ListUsers' } });
      expect(await failure(verify(forged))).toEqual(mismatch);
      const forgedRoot = await presign({ ...ROOT, secretAccessKey: 'Y'.repeat(40) });
      expect(await failure(verify(forgedRoot))).toEqual(mismatch);
    });

    it('refuses a tampered query, path or body', async () => {
      const signed = await signWithHeader(credentials, { query: { Action: 'ListUsers' } });
      expect(await failure(verify({ ...signed, rawQuery: 'Action=DeleteUser' }))).toEqual(mismatch);
      expect(await failure(verify({ ...signed, path: '/other' }))).toEqual(mismatch);
      const post = await presign(credentials, { method: 'POST', headers: FORM, body: QUERY_BODY });
      expect(await failure(verify({ ...post, body: QUERY_BODY.replace('alice', 'admin') }))).toEqual(mismatch);
      const url = await presign(credentials, { query: { Action: 'ListUsers' } });
      expect(await failure(verify({ ...url, rawQuery: url.rawQuery.replace('ListUsers', 'ListRoles') }))).toEqual(mismatch);
    });

    it('refuses a signature over another string to sign, and a malformed signature', async () => {
      const prepared = prepare(await signWithHeader(credentials));
      const message = verificationOf(prepared);
      expect(await failure(bus().send(P.VerifySignature, { ...message, StringToSign: `${message.StringToSign}x` }))).toEqual(mismatch);
      expect(await failure(bus().send(P.VerifySignature, { ...message, Scope: { ...message.Scope, Region: 'eu-west-1' } }))).toEqual(mismatch);
      expect((await failure(bus().send(P.VerifySignature, { ...message, Signature: 'Z'.repeat(64) }))).code).toBe('ValidationError');
    });

    it('refuses an unknown key', async () => {
      expect(await failure(verify(await signWithHeader({ ...credentials, accessKeyId: 'AKIAUNKNOWNKEY000000' })))).toEqual(unknownKey);
    });

    it('refuses an inactive key on the next request (derived keys are cached, the status is not), and accepts it again when reactivated', async () => {
      const request = await signWithHeader(credentials, { query: { Action: 'ListUsers' } });
      await expect(verify(request)).resolves.toBeDefined();
      await bus().send(P.UpdateAccessKey, { UserName: 'signer', AccessKeyId: credentials.accessKeyId, Status: 'Inactive' });
      expect(await failure(verify(request))).toEqual(unknownKey);
      await bus().send(P.UpdateAccessKey, { UserName: 'signer', AccessKeyId: credentials.accessKeyId, Status: 'Active' });
      await expect(verify(request)).resolves.toBeDefined();
    });

    it("refuses a key another replica deactivated, without any event (the database is read on every call)", async () => {
      const request = await presign(credentials);
      await expect(verify(request)).resolves.toBeDefined();
      await identity.sql("UPDATE identity.access_keys SET status = 'Inactive' WHERE access_key_id = $1", [credentials.accessKeyId]);
      try {
        expect(await failure(verify(request))).toEqual(unknownKey);
      } finally {
        await identity.sql("UPDATE identity.access_keys SET status = 'Active' WHERE access_key_id = $1", [credentials.accessKeyId]);
      }
      await expect(verify(request)).resolves.toBeDefined();
    });

    it('refuses a deleted key', async () => {
      const { User } = await bus().send(P.CreateUser, { UserName: 'short-lived' });
      const { AccessKey } = await bus().send(P.CreateAccessKey, { UserName: User.UserName });
      const request = await signWithHeader({ accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey });
      await expect(verify(request)).resolves.toBeDefined();
      await bus().send(P.DeleteAccessKey, { UserName: User.UserName, AccessKeyId: AccessKey.AccessKeyId });
      expect(await failure(verify(request))).toEqual(unknownKey);
    });

    it('answers ServiceFailure when a stored secret cannot be decrypted (tampered with)', async () => {
      const { User } = await bus().send(P.CreateUser, { UserName: 'tampered' });
      const { AccessKey } = await bus().send(P.CreateAccessKey, { UserName: User.UserName });
      await identity.sql("UPDATE identity.access_keys SET secret_sealed = set_byte(secret_sealed, 15, get_byte(secret_sealed, 15) # 1) WHERE access_key_id = $1", [
        AccessKey.AccessKeyId,
      ]);
      const request = await signWithHeader({ accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey });
      expect(await failure(verify(request))).toEqual({ code: 'ServiceFailure', message: 'The request failed because of an internal error.' });
    });

    it('refuses an unknown root key when no root credentials are configured', async () => {
      await identity.restart({ options: { root: {} } });
      try {
        expect(await failure(verify(await signWithHeader(ROOT)))).toEqual(unknownKey);
      } finally {
        await identity.restart({ options: { root: { accessKeyId: ROOT.accessKeyId, secretAccessKey: ROOT.secretAccessKey } } });
      }
    });
  });
});
