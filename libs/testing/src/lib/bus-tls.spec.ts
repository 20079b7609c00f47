import { IdentityPatterns } from '@iam/contracts';
import { BusTransport, writeNatsCredentials } from '@iam/platform';
import { readFileSync } from 'node:fs';
import { connect, nkeyAuthenticator } from 'nats';
import { testBusClient } from './bus';
import { createTestCertificates, TestCertificates } from './certificates';
import { describeWithNatsServer, startNatsServer, temporaryFolder, TestNatsServer } from './nats-server';
import { startStubService } from './stub';

/** NATS over mutual TLS with a CA made for the spec, plus each app's NKey. */
describeWithNatsServer('the bus over TLS', () => {
  const folder = temporaryFolder('bus-tls');
  let nats: TestNatsServer;
  let certificates: TestCertificates;
  let seeds: Record<string, string>;
  const closers: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    certificates = createTestCertificates(folder.path);
    const credentials = writeNatsCredentials(folder.path, { tls: { ...certificates.server, caFile: certificates.caFile } });
    seeds = Object.fromEntries(Object.entries(credentials.seedFiles).map(([app, file]) => [app, readFileSync(file, 'utf8').trim()]));
    nats = await startNatsServer({ configFile: credentials.configFile, scheme: 'tls' });
  });

  afterEach(async () => {
    for (let closer = closers.pop(); closer; closer = closers.pop()) await closer.close();
  });

  afterAll(async () => {
    await nats?.stop();
    folder.remove();
  });

  const transportOf = (app: string): BusTransport => ({
    kind: 'nats',
    url: nats.url,
    app,
    nkeySeed: seeds[app],
    tls: { caFile: certificates.caFile, ...certificates.client },
  });

  const user = (UserName: string) => ({ Path: '/', UserName, UserId: 'AIDAEXAMPLEEXAMPLE01', Arn: `arn:aws:iam::123456789012:user/${UserName}`, CreateDate: '2026-01-01T00:00:00Z' });

  it('carries a request and its reply over TLS with a client certificate and an NKey', async () => {
    closers.push(await startStubService(transportOf('identity'), 'identity', { [IdentityPatterns.GetUser]: (request) => ({ User: user(request.UserName ?? 'ann') }) }));
    const gateway = await testBusClient(transportOf('gateway'), 3_000);
    closers.push(gateway);
    await expect(gateway.send(IdentityPatterns.GetUser, { UserName: 'ann' })).resolves.toEqual({ User: user('ann') });
  });

  it('refuses a client without TLS, one without a client certificate, and one that does not trust the CA', async () => {
    const authenticator = nkeyAuthenticator(new TextEncoder().encode(seeds['gateway']));
    const plain = nats.url.replace(/^tls:/, 'nats:');
    await expect(connect({ servers: plain, authenticator, tls: null, timeout: 3_000 })).rejects.toThrow();
    await expect(connect({ servers: nats.url, authenticator, tls: { caFile: certificates.caFile }, timeout: 3_000 })).rejects.toThrow();
    await expect(connect({ servers: nats.url, authenticator, tls: { ...certificates.client }, timeout: 3_000 })).rejects.toThrow(/certificate/);
    const connection = await connect({ servers: nats.url, authenticator, tls: { caFile: certificates.caFile, ...certificates.client } });
    await connection.close();
  });
});
