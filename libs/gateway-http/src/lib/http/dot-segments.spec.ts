import { request as httpRequest } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { inProcessTransport } from '@iam/testing';
import { XMLParser } from 'fast-xml-parser';
import { HeaderAuthenticator, startTestGateway } from '../../test-support/harness';
import type { Caller } from '../application/caller';
import type { RequestInfo } from '../application/request-info';
import { hasDotSegment } from './dot-segments';

describe('hasDotSegment', () => {
  it.each([
    '/v1/users/bob/policies/..',
    '/v1/users/bob/policies/.',
    '/v1/users/./bob',
    '/v1/users/bob/../alice',
    '/./',
    '/..',
    '/v1/users/bob/policies/%2e%2e',
    '/v1/users/bob/policies/%2E%2e',
    '/v1/users/bob/policies/.%2e',
    '/v1/users/bob/policies/%2e',
    '/v1/users/bob%2F..%2Fpolicies',
    '/v1/users/bob%2f%2E%2fx',
    '/v1/users/%2e%2e/%ff',
  ])('finds a dot segment in %s', (path) => {
    expect(hasDotSegment(path)).toBe(true);
  });

  it.each(['/', '/v1/users/bob', '/v1/users/bob.smith', '/v1/users/...', '/v1/users/.bob', '/v1/users/bob./x', '/v1//users', '/v1/policies/arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fa.b%2Fp'])(
    'finds none in %s',
    (path) => {
      expect(hasDotSegment(path)).toBe(false);
    },
  );
});

/** Sends a request with the path exactly as given (`fetch` would normalise dot segments away). */
function rawRequest(url: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest({ host: target.hostname, port: target.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Counts the requests that reached authentication. */
class CountingAuthenticator extends HeaderAuthenticator {
  count = 0;
  override async authenticate(request: RequestInfo): Promise<Caller> {
    this.count += 1;
    return super.authenticate(request);
  }
}

describe('paths with dot segments, through the gateway', () => {
  let app: NestFastifyApplication;
  let url: string;
  const authenticator = new CountingAuthenticator();

  beforeAll(async () => {
    ({ app, url } = await startTestGateway({ transport: inProcessTransport(), authenticator }));
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    authenticator.count = 0;
  });

  it.each([
    ['DELETE', '/v1/users/bob/policies/..'],
    ['DELETE', '/v1/users/bob/policies/%2e%2E'],
    ['GET', '/v1/users/./bob'],
    ['GET', '/v1/users/x/../bob?x=1'],
    ['POST', '/v1/users/bob%2F..%2F'],
    ['GET', '/v1/nothing/../here'],
  ])('refuses %s %s with 400 ValidationError in JSON before authentication', async (method, path) => {
    const response = await rawRequest(url, method, path, { authorization: 'Test root' });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/json');
    expect(JSON.parse(response.text)).toEqual({
      code: 'ValidationError',
      message: expect.stringMatching(/has a '\.' or '\.\.' segment/),
      requestId: response.headers['x-amzn-requestid'],
    });
    expect(authenticator.count).toBe(0);
  });

  it.each(['/.', '/./', '/%2e/', '/x/..'])('refuses the Query API at %s with an AWS XML ValidationError', async (path) => {
    const response = await rawRequest(url, 'POST', path, { authorization: 'Test root', 'content-type': 'application/x-www-form-urlencoded' }, 'Action=ListUsers&Version=2010-05-08');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('text/xml');
    const body = new XMLParser().parse(response.text);
    expect(body.ErrorResponse.Error).toMatchObject({ Type: 'Sender', Code: 'ValidationError' });
    expect(authenticator.count).toBe(0);
  });
});
