import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { inProcessTransport } from '@iam/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { HeaderAuthenticator, startTestGateway } from '../../test-support/harness';
import { isBrowserVisit } from './console';

/** A raw GET, so that the path reaches the server exactly as written (fetch normalizes dot segments). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const target = new URL(url);
    const req = httpRequest({ host: target.hostname, port: target.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('the web console at /console/', () => {
  const root = mkdtempSync(join(tmpdir(), 'console-spec-'));
  const dir = join(root, 'console');
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>IAM console</title><script type="module" src="/console/assets/index-abc123.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("console")');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(root, 'secret.txt'), 'not for the web');
    ({ app, url } = await startTestGateway({ transport: inProcessTransport(), authenticator: new HeaderAuthenticator(), consoleDir: dir }));
  });

  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the page, never cached, with a policy that allows only its own scripts', async () => {
    for (const path of ['/console/', '/console/index.html']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toContain('<title>IAM console</title>');
    }
  });

  it('answers the page for any path of the console (its router shows the page), and redirects /console', async () => {
    const deep = await fetch(`${url}/console/users/dave?tab=keys`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<title>IAM console</title>');
    const bare = await fetch(`${url}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/console/');
  });

  it('serves hashed assets cached for good, and a missing asset as 404 rather than the page', async () => {
    const asset = await fetch(`${url}/console/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log("console")');
    const missing = await fetch(`${url}/console/assets/index-old.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('<title>');
  });

  it('serves nothing outside its folder, whatever the dot segments', async () => {
    for (const path of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/assets/..%2f..%2fsecret.txt', '/console/..%5csecret.txt']) {
      const response = await rawGet(url, path);
      expect(response.body).not.toContain('not for the web');
    }
  });

  it('sends a browser opening / to the console', async () => {
    const response = await fetch(`${url}/`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }, redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/console/');
  });

  it('leaves every AWS request to / as it was: POST, an Action, a signature, no HTML accepted', async () => {
    const html = { accept: 'text/html' };
    const post = await fetch(`${url}/`, { method: 'POST', headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' });
    expect(post.status).toBe(403);
    expect(await post.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const withAction = await fetch(`${url}/?Action=ListUsers&Version=2010-05-08`, { headers: html, redirect: 'manual' });
    expect(withAction.status).toBe(403);
    expect(await withAction.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const signed = await fetch(`${url}/`, { headers: { ...html, authorization: 'Test bob' }, redirect: 'manual' });
    expect(signed.status).toBe(400);
    expect(await signed.text()).toContain('<Code>InvalidAction</Code>');
    const curl = await fetch(`${url}/`, { headers: { accept: '*/*' }, redirect: 'manual' });
    expect(curl.status).toBe(400);
    expect(await curl.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('tells a browser visit from an AWS request', () => {
    const get = (headers: Record<string, string[]>, rawQuery = '') => ({ method: 'GET', rawQuery, headers });
    expect(isBrowserVisit(get({ accept: ['text/html'] }))).toBe(true);
    expect(isBrowserVisit(get({ accept: ['application/xml;q=0.9, text/html;q=0.8'] }))).toBe(true);
    expect(isBrowserVisit(get({ accept: ['text/htmlx'] }))).toBe(false);
    expect(isBrowserVisit(get({ accept: ['*/*'] }))).toBe(false);
    expect(isBrowserVisit(get({}))).toBe(false);
    expect(isBrowserVisit(get({ accept: ['text/html'] }, 'Action=ListUsers'))).toBe(false);
    expect(isBrowserVisit(get({ accept: ['text/html'] }, 'X-Amz-Algorithm=AWS4-HMAC-SHA256'))).toBe(false);
    expect(isBrowserVisit(get({ accept: ['text/html'], authorization: ['AWS4-HMAC-SHA256 Credential=x'] }))).toBe(false);
    expect(isBrowserVisit({ method: 'POST', rawQuery: '', headers: { accept: ['text/html'] } })).toBe(false);
  });
});

describe('a gateway without a console build', () => {
  it('says at /console/ how to build it, and still serves the API', async () => {
    const missing = join(tmpdir(), 'no-console-here');
    const { app, url } = await startTestGateway({ transport: inProcessTransport(), authenticator: new HeaderAuthenticator(), consoleDir: missing });
    try {
      const response = await fetch(`${url}/console/`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('npx nx build console');
      expect((await fetch(`${url}/v1/users`)).status).toBe(403);
    } finally {
      await app.close();
    }
  });
});
