import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { deriveSigningKey, signaturesEqual, signStringToSign } from '@iam/aws-protocol';
import { IamError, IdentityPatterns, type UserPrincipal } from '@iam/contracts';
import { Clock } from '@iam/platform';
import { inProcessTransport, signedHeaders, startStubService } from '@iam/testing';
import { json, startTestGateway } from '../../test-support/harness';
import { Authorizer } from './authorizer';
import type { Caller } from '../application/caller';

const KEY = { accessKeyId: 'AKIAALICEALICEALICE0', secretAccessKey: 'alice-secret-alice-secret-alice-secret-00' };
const ALICE: UserPrincipal = {
  Type: 'user',
  AccountId: '123456789012',
  UserId: 'AIDAALICEALICEALICE0',
  UserName: 'alice',
  Path: '/',
  Arn: 'arn:aws:iam::123456789012:user/alice',
  Tags: [],
};

class FixedClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  now(): Date {
    return this.at;
  }
}

/** Records who each call was authorized for, and allows it. */
class RecordingAuthorizer extends Authorizer {
  readonly callers: Caller[] = [];
  async authorize(caller: Caller): Promise<void> {
    this.callers.push(caller);
  }
}

describe('BusAuthenticator: SigV4 and sessions checked by identity', () => {
  let app: NestFastifyApplication;
  let url: string;
  const closers: Array<{ close(): Promise<unknown> }> = [];
  const clock = new FixedClock(new Date());
  const authorizer = new RecordingAuthorizer();
  const verified: Array<{ AccessKeyId: string; Scope: unknown }> = [];

  beforeAll(async () => {
    const transport = inProcessTransport();
    closers.push(
      await startStubService(transport, 'identity', {
        // What identity does: derive the key from the secret it holds and compare (the stub
        // validates each request against identity's contract first, as identity does).
        [IdentityPatterns.VerifySignature]: (r) => {
          verified.push({ AccessKeyId: r.AccessKeyId, Scope: r.Scope });
          if (r.AccessKeyId !== KEY.accessKeyId) throw new IamError('InvalidClientTokenId', 'The security token included in the request is invalid.');
          const key = deriveSigningKey(KEY.secretAccessKey, r.Scope.Date, r.Scope.Region, r.Scope.Service);
          if (!signaturesEqual(signStringToSign(key, r.StringToSign), r.Signature)) {
            throw new IamError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
          }
          return { Principal: ALICE };
        },
        [IdentityPatterns.VerifySession]: (r) => {
          if (r.SessionToken === 'reset-token-000000') return { Principal: ALICE, Expiration: '2099-01-01T00:00:00Z', PasswordChangeOnly: true };
          if (r.SessionToken !== 'good-token-0000000') throw new IamError('InvalidToken', 'The session token is not valid.');
          return { Principal: ALICE, Expiration: '2099-01-01T00:00:00Z', PasswordChangeOnly: false };
        },
        [IdentityPatterns.GetUser]: () => ({
          User: { UserId: ALICE.UserId, UserName: ALICE.UserName, Path: ALICE.Path, Arn: ALICE.Arn, Tags: [], CreateDate: '2026-01-01T00:00:00Z' },
        }),
        [IdentityPatterns.ResolveUser]: () => ({ UserId: ALICE.UserId, UserName: 'alice', Path: '/', Arn: ALICE.Arn, State: 'active', Tags: [], CreateDate: '2026-01-01T00:00:00Z' }),
      }),
    );
    ({ app, url } = await startTestGateway({ transport, authorizer, clock }));
  });

  afterAll(async () => {
    await app?.close();
    for (const closer of closers) await closer.close();
  });

  beforeEach(() => {
    clock.at = new Date();
    authorizer.callers.length = 0;
    verified.length = 0;
  });

  const body = 'Action=GetUser&Version=2010-05-08';
  const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

  it('authenticates a signed Query request as the principal identity names', async () => {
    const headers = await signedHeaders(`${url}/`, KEY, { method: 'POST', body, headers: form });
    const response = await fetch(`${url}/`, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    expect(authorizer.callers[0]).toMatchObject({ type: 'user', userName: 'alice', via: 'access-key', accessKeyId: KEY.accessKeyId });
    expect(verified).toEqual([{ AccessKeyId: KEY.accessKeyId, Scope: { Date: expect.stringMatching(/^\d{8}$/), Region: 'us-east-1', Service: 'iam' } }]);
  });

  it('authenticates a signed REST request', async () => {
    const headers = await signedHeaders(`${url}/v1/users/alice`, KEY, { method: 'GET' });
    expect((await fetch(`${url}/v1/users/alice`, { headers })).status).toBe(200);
  });

  it('passes identity\'s SignatureDoesNotMatch and InvalidClientTokenId through with 403', async () => {
    const headers = await signedHeaders(`${url}/`, KEY, { method: 'POST', body, headers: form });
    const tampered = await fetch(`${url}/`, { method: 'POST', headers, body: body.replace('GetUser', 'ListUsers') });
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const unknown = await signedHeaders(`${url}/`, { ...KEY, accessKeyId: 'AKIAUNKNOWNUNKNOWN00' }, { method: 'POST', body, headers: form });
    const refused = await fetch(`${url}/`, { method: 'POST', headers: unknown, body });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>InvalidClientTokenId</Code>');
  });

  it('refuses a signed x-amz-security-token (header, both fronts, or presigned query) with InvalidClientTokenId, before asking identity', async () => {
    const token = { 'x-amz-security-token': 'FwoGZXIvYXdzEXAMPLETOKEN' };
    const query = await signedHeaders(`${url}/`, KEY, { method: 'POST', body, headers: { ...form, ...token } });
    const viaQuery = await fetch(`${url}/`, { method: 'POST', headers: query, body });
    expect(viaQuery.status).toBe(403);
    expect(await viaQuery.text()).toContain('<Code>InvalidClientTokenId</Code>');
    const rest = await signedHeaders(`${url}/v1/users/alice`, KEY, { method: 'GET', headers: token });
    const viaRest = await fetch(`${url}/v1/users/alice`, { headers: rest });
    expect(viaRest.status).toBe(403);
    expect((await json(viaRest)).code).toBe('InvalidClientTokenId');
    const presigned = await fetch(`${url}/v1/users/alice?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=abc&X-Amz-Signature=00`);
    expect(presigned.status).toBe(403);
    expect((await json(presigned)).code).toBe('InvalidClientTokenId');
    expect(verified).toEqual([]);
  });

  it('refuses a request signed outside the clock skew with RequestExpired, before asking identity', async () => {
    const headers = await signedHeaders(`${url}/`, KEY, { method: 'POST', body, headers: form }, new Date(clock.at.getTime() - 16 * 60_000));
    const response = await fetch(`${url}/`, { method: 'POST', headers, body });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>RequestExpired</Code>');
    expect(verified).toEqual([]);
  });

  it('answers MissingAuthenticationToken without credentials and IncompleteSignature for a broken header', async () => {
    const none = await fetch(`${url}/v1/users/alice`);
    expect(none.status).toBe(403);
    expect((await json(none)).code).toBe('MissingAuthenticationToken');
    const broken = await fetch(`${url}/v1/users/alice`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/iam/aws4_request' } });
    expect(broken.status).toBe(400);
    expect((await json(broken)).code).toBe('IncompleteSignature');
  });

  it('authenticates a bearer session, and refuses an unknown one with InvalidToken', async () => {
    const ok = await fetch(`${url}/v1/users/alice`, { headers: { authorization: 'Bearer good-token-0000000' } });
    expect(ok.status).toBe(200);
    expect(authorizer.callers[0]).toMatchObject({ type: 'user', via: 'session', passwordResetRequired: false });
    const bad = await fetch(`${url}/v1/users/alice`, { headers: { authorization: 'Bearer nope-token-0000000' } });
    expect(bad.status).toBe(403);
    expect((await json(bad)).code).toBe('InvalidToken');
  });

  it('answers a credential identity cannot parse as an invalid credential, not as a validation error', async () => {
    const short = await fetch(`${url}/v1/users/alice`, { headers: { authorization: 'Bearer garbage' } });
    expect(short.status).toBe(403);
    expect(await json(short)).toMatchObject({ code: 'InvalidToken', message: 'The session token is not valid.' });

    const headers = await signedHeaders(`${url}/`, { ...KEY, accessKeyId: 'AKIA-NOT-A-KEY-ID!!' }, { method: 'POST', body, headers: form });
    const odd = await fetch(`${url}/`, { method: 'POST', headers, body });
    expect(odd.status).toBe(403);
    expect(await odd.text()).toContain('<Code>InvalidClientTokenId</Code>');
  });

  it('keeps a session whose password must be changed to ChangePassword', async () => {
    const refused = await fetch(`${url}/v1/users/alice`, { headers: { authorization: 'Bearer reset-token-000000' } });
    expect(refused.status).toBe(403);
    expect((await json(refused)).code).toBe('PasswordResetRequired');
    expect(authorizer.callers).toEqual([]);
  });
});
