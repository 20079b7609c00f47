import { once } from 'node:events';
import { connect } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { inProcessTransport } from '@iam/testing';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { HeaderAuthenticator, json, startTestGateway } from '../../test-support/harness';
import { printableMessage } from './errors';

const xml = new XMLParser();

describe('printableMessage', () => {
  it('keeps a message on one line, showing control characters, separators and lone surrogates as escapes', () => {
    expect(printableMessage("Value 'a\nb\r\tc' is bad")).toBe("Value 'a\\nb\\r\\tc' is bad");
    expect(printableMessage('nul \u0000, esc \u001b, del \u007f, nel \u0085, ls \u2028, ps \u2029')).toBe(
      'nul \\u0000, esc \\u001b, del \\u007f, nel \\u0085, ls \\u2028, ps \\u2029',
    );
    expect(printableMessage('lone \ud800 and \udfff')).toBe('lone \\ud800 and \\udfff');
  });

  it('leaves printable text alone, pairs of surrogates and right-to-left marks included', () => {
    const text = "User with name fz-é😀\u202e already exists: [\\w+=,.@-]+ 'x'";
    expect(printableMessage(text)).toBe(text);
  });
});

describe('gateway error replies for input the parser or the fronts refuse', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await startTestGateway({ transport: inProcessTransport(), authenticator: new HeaderAuthenticator() }));
  });

  afterAll(async () => {
    await app?.close();
  });

  const root = { authorization: 'Test root' };

  it('answers a REST error that echoes a line break on one line', async () => {
    const response = await fetch(`${url}/v1/me?${encodeURIComponent('a\nb')}=1`, { headers: root });
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: 'ValidationError', message: "The parameter 'a\\nb' is not recognized by GetCallerUser." });
  });

  it('answers a Query error that echoes control characters on one line, in well-formed XML', async () => {
    const response = await fetch(`${url}/`, {
      method: 'POST',
      headers: { ...root, 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=GetUser&Version=2010-05-08&UserName=${encodeURIComponent('x\r\n\u0000y')}`,
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(XMLValidator.validate(text)).toBe(true);
    const message = xml.parse(text).ErrorResponse.Error.Message as string;
    expect(message).toContain("Value 'x\\r\\n\\u0000y' at 'userName'");
    expect(message).not.toMatch(/[\r\n]/);
  });

  it('answers a REST request whose URL is larger than the headers may be as a JSON ValidationError', async () => {
    const response = await fetch(`${url}/v1/users?cursor=${'a'.repeat(20_000)}`, { headers: root });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = await json(response);
    expect(body).toEqual({ code: 'ValidationError', message: expect.stringContaining('too large'), requestId: expect.any(String) });
    expect(response.headers.get('x-amzn-requestid')).toBe(body.requestId);
  });

  it('answers a Query API request whose URL is too large as AWS XML', async () => {
    const response = await fetch(`${url}/?Action=GetUser&Version=2010-05-08&UserName=${'a'.repeat(20_000)}`, { headers: root });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/xml');
    const body = xml.parse(await response.text());
    expect(body.ErrorResponse.Error).toMatchObject({ Type: 'Sender', Code: 'ValidationError', Message: expect.stringContaining('too large') });
  });

  it('answers a header that is too large the same way, and keeps serving', async () => {
    const response = await fetch(`${url}/v1/me`, { headers: { ...root, 'x-padding': 'p'.repeat(20_000) } });
    expect(response.status).toBe(400);
    expect((await json(response)).code).toBe('ValidationError');
    expect((await fetch(`${url}/v1/me`, { headers: root })).status).not.toBe(400);
  });

  it('keeps reading a refused request, so that a client still sending it reads the reply rather than a reset', async () => {
    // Like an HTTP client, it reads the reply while it goes on sending.
    const socket = connect({ port: Number(new URL(url).port), host: '127.0.0.1', allowHalfOpen: true });
    const closed = once(socket, 'close');
    const received: Buffer[] = [];
    const errors: Error[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error) => errors.push(error));
    await once(socket, 'connect');
    socket.write(`POST /v1/users?cursor=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${16 * 64 * 1024}\r\n`);
    while (!Buffer.concat(received).toString().includes('"requestId"') && errors.length === 0) await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 16 && errors.length === 0; i++) {
      socket.write('a'.repeat(64 * 1024));
      await new Promise((r) => setTimeout(r, 5));
    }
    socket.end();
    await closed;
    expect(errors).toEqual([]);
    const reply = Buffer.concat(received).toString();
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'ValidationError' });
  }, 10_000);
});
