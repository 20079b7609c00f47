import { IdentityEvents, IdentityPatterns } from '@iam/contracts';
import { BusTransport, writeNatsCredentials } from '@iam/platform';
import { readFileSync } from 'node:fs';
import { connect, JSONCodec, Msg, NatsConnection, nkeyAuthenticator } from 'nats';
import { testBusClient } from './bus';
import { describeWithNatsServer, startNatsServer, temporaryFolder, TestNatsServer } from './nats-server';
import { startStubService } from './stub';

/**
 * The bus as a trust boundary: a NATS of the spec's own with the generated
 * configuration (one NKey per app, subject permissions from BUS_ROLES).
 */
describeWithNatsServer('an authenticated bus with subject permissions', () => {
  const folder = temporaryFolder('bus-security');
  let nats: TestNatsServer;
  let seeds: Record<string, string>;
  const opened: NatsConnection[] = [];
  const closers: Array<{ close(): Promise<void> }> = [];
  const codec = JSONCodec();

  beforeAll(async () => {
    const credentials = writeNatsCredentials(folder.path);
    seeds = Object.fromEntries(Object.entries(credentials.seedFiles).map(([app, file]) => [app, readFileSync(file, 'utf8').trim()]));
    nats = await startNatsServer({ configFile: credentials.configFile });
  });

  afterEach(async () => {
    for (let closer = closers.pop(); closer; closer = closers.pop()) await closer.close();
    await Promise.all(opened.splice(0).map((connection) => connection.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await nats?.stop();
    folder.remove();
  });

  const transportOf = (app: string): BusTransport => ({ kind: 'nats', url: nats.url, app, nkeySeed: seeds[app] });

  /** A raw connection as `app`, with every permission error the server sends it. */
  async function connectAs(app: string): Promise<{ connection: NatsConnection; errors: string[] }> {
    const connection = await connect({ servers: nats.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(seeds[app])), name: `spy-${app}` });
    opened.push(connection);
    const errors: string[] = [];
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === 'error') errors.push(String(status.data));
      }
    })();
    return { connection, errors };
  }

  /** Identity's sign-in, answered by a stub holding identity's credential. */
  async function identityAnswersSignIn(): Promise<string[]> {
    const passwords: string[] = [];
    closers.push(
      await startStubService(transportOf('identity'), 'identity', {
        [IdentityPatterns.SignIn]: (request) => {
          passwords.push(request.Password);
          const UserName = request.UserName ?? 'ann';
          return {
            Principal: { Type: 'user', AccountId: '123456789012', UserId: 'AIDAEXAMPLEEXAMPLE01', UserName, Path: '/', Arn: `arn:aws:iam::123456789012:user/${UserName}`, Tags: [] },
            Expiration: '2026-01-01T00:00:00Z',
            PasswordChangeOnly: false,
            SessionToken: 'token-for-the-gateway',
          };
        },
      }),
    );
    return passwords;
  }

  it('refuses a connection without credentials, and one with an unknown key', async () => {
    await expect(connect({ servers: nats.url })).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
    const { nkeys } = await import('nats');
    const stranger = nkeys.createUser().getSeed();
    await expect(connect({ servers: nats.url, authenticator: nkeyAuthenticator(stranger) })).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
  });

  it('lets the gateway call identity through its credential, on its own inbox', async () => {
    const passwords = await identityAnswersSignIn();
    const gateway = await testBusClient(transportOf('gateway'), 3_000);
    closers.push(gateway);
    await expect(gateway.send(IdentityPatterns.SignIn, { UserName: 'ann', Password: 'correct horse', SourceIp: '192.0.2.1' })).resolves.toMatchObject({
      SessionToken: 'token-for-the-gateway',
    });
    expect(passwords).toEqual(['correct horse']);
  });

  it("refuses the gateway's credential a subscription to identity.> or to >, so it reads no sign-in body", async () => {
    const passwords = await identityAnswersSignIn();
    const spy = await connectAs('gateway');
    const seen: Msg[] = [];
    const subscriptionErrors: string[] = [];
    for (const subject of ['identity.>', '>', IdentityPatterns.SignIn, '_INBOX.identity.>', '_INBOX.>']) {
      spy.connection.subscribe(subject, { callback: (error, message) => (error ? subscriptionErrors.push(error.message) : seen.push(message)) });
    }
    await spy.connection.flush();

    const gateway = await testBusClient(transportOf('gateway'), 3_000);
    closers.push(gateway);
    await gateway.send(IdentityPatterns.SignIn, { UserName: 'ann', Password: 'secret-password-1', SourceIp: '192.0.2.1' });
    await spy.connection.flush();

    // The server's refusals reach the client after the round trip.
    const refusals = () => subscriptionErrors.join('\n') + spy.errors.join('\n');
    for (let i = 0; i < 100 && !(/"identity\.>"/.test(refusals()) && /">"/.test(refusals())); i++) await new Promise((r) => setTimeout(r, 20));
    expect(passwords).toEqual(['secret-password-1']);
    expect(seen.map((message) => message.subject)).toEqual([]);
    expect(subscriptionErrors.join('\n')).toMatch(/Permissions Violation for Subscription to "identity\.>"/);
    expect(spy.errors.join('\n') + subscriptionErrors.join('\n')).toMatch(/Permissions Violation for Subscription to ">"/);
  });

  it("does not let the gateway's credential answer identity's patterns", async () => {
    // A fake identity on the gateway's credential: its subscription is refused, so a request finds no responder.
    const impostor = await connectAs('gateway');
    const refused: string[] = [];
    impostor.connection.subscribe(IdentityPatterns.SignIn, {
      queue: 'identity',
      callback: (error, message) => {
        if (error) refused.push(error.message);
        else message.respond(codec.encode({ response: { SessionToken: 'forged' }, id: '1' }));
      },
    });
    await impostor.connection.flush();
    const caller = await testBusClient(transportOf('gateway'), 1_000);
    closers.push(caller);
    await expect(caller.send(IdentityPatterns.SignIn, { AccountId: '123456789012', UserName: 'ann', Password: 'x' } as never)).rejects.toMatchObject({
      code: 'ServiceUnavailable',
    });
    expect(refused.join('\n')).toMatch(/Permissions Violation for Subscription to "identity\.session\.sign-in"/);
  });

  it("lets only identity publish identity's events", async () => {
    const listener = await connectAs('directory');
    const received: string[] = [];
    listener.connection.subscribe(IdentityEvents.UserDeleted, { callback: (_error, message) => received.push(String(codec.decode(message.data))) });
    await listener.connection.flush();

    const forger = await connectAs('gateway');
    forger.connection.publish(IdentityEvents.UserDeleted, codec.encode('forged by the gateway'));
    await forger.connection.flush();
    const neighbour = await connectAs('authorization');
    neighbour.connection.publish(IdentityEvents.UserDeleted, codec.encode('forged by authorization'));
    await neighbour.connection.flush();
    const owner = await connectAs('identity');
    owner.connection.publish(IdentityEvents.UserDeleted, codec.encode('from identity'));
    await owner.connection.flush();
    await listener.connection.flush();

    expect(received).toEqual(['from identity']);
    // The server's refusal reaches the client's status stream after the round trip.
    for (let i = 0; i < 50 && !forger.errors.includes('PERMISSIONS_VIOLATION'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(forger.errors).toContain('PERMISSIONS_VIOLATION');
    expect(owner.errors).toEqual([]);
  });

  it('refuses a service a request to a neighbour pattern it does not call', async () => {
    const passwords = await identityAnswersSignIn();
    const directory = await testBusClient(transportOf('directory'), 1_000);
    closers.push(directory);
    await expect(directory.send(IdentityPatterns.SignIn, { AccountId: '123456789012', UserName: 'ann', Password: 'x' } as never)).rejects.toMatchObject({
      code: 'ServiceUnavailable',
    });
    expect(passwords).toEqual([]);
  });
});
