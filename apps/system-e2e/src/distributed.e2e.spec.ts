import { randomBytes } from 'node:crypto';
import { createTestDatabase, describeWithServices, TEST_NATS_URL, TestDatabase } from '@iam/testing';
import { randomRootCredentials, signedFetch } from './support/gateway';
import { body, freePort, RunningProcess, startApp, waitForStatus } from './support/processes';

// These specs start whole systems as processes.
jest.setTimeout(180_000);

/**
 * Distributed mode as an operator runs it: each app its own process, talking
 * over a real NATS, keeping state in a real PostgreSQL.
 */
describeWithServices('distributed mode: four processes over NATS and PostgreSQL', () => {
  const BUS_TIMEOUT_MS = 2_000;
  let database: TestDatabase;
  let env: Record<string, string>;
  let base: string;
  const services: Record<string, RunningProcess> = {};
  let gateway: RunningProcess;
  const root = randomRootCredentials();

  const startService = async (name: string) => {
    services[name] = startApp(name, env);
    await services[name].waitForLine(/is listening on the bus/);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    env = {
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: database.url,
      IAM_BUS_SUBJECT_PREFIX: `e2e${randomBytes(4).toString('hex')}`,
      IAM_ACCOUNT_ID: '123456789012',
      IAM_BUS_TIMEOUT_MS: String(BUS_TIMEOUT_MS),
      IAM_DB_POOL_SIZE: '3',
      IAM_ROOT_ACCESS_KEY_ID: root.accessKeyId,
      IAM_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
      // A service logs each message it handled at debug: the request id spec reads that line.
      LOG_LEVEL: 'debug',
    };
    await Promise.all(['identity', 'directory', 'authorization'].map(startService));
    const port = await freePort();
    gateway = startApp('gateway', { ...env, PORT: String(port), HOST: '127.0.0.1' });
    base = `http://127.0.0.1:${port}`;
    await waitForStatus(`${base}/health`);
  });

  afterAll(async () => {
    await Promise.all([gateway, ...Object.values(services)].filter(Boolean).map((p) => p.stop('SIGKILL')));
    await database?.drop();
  });

  // Every call but /health is authenticated: as root, with SigV4.
  const post = (path: string, body: unknown) =>
    signedFetch(base, root, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = (path: string) => signedFetch(base, root, { method: 'GET', path });

  it('creates a user and reads it back through gateway, NATS, identity and PostgreSQL', async () => {
    const created = await post('/v1/users', { UserName: 'Alice', Path: '/eng/' });
    expect(created.status).toBe(201);
    const { User } = await body(created);
    expect(User).toMatchObject({ UserName: 'Alice', Path: '/eng/', Arn: 'arn:aws:iam::123456789012:user/eng/Alice' });
    expect(User.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);

    const read = await get('/v1/users/alice');
    expect(read.status).toBe(200);
    expect((await body(read)).User).toEqual(User);
  });

  it('answers AWS error codes with their statuses and the request id', async () => {
    await post('/v1/users', { UserName: 'bob' });
    const duplicate = await post('/v1/users', { UserName: 'BOB' });
    expect(duplicate.status).toBe(409);
    const error = await body(duplicate);
    expect(error).toMatchObject({ code: 'EntityAlreadyExists', message: 'User with name BOB already exists.' });
    expect(error.requestId).toBe(duplicate.headers.get('x-amzn-requestid'));

    const unknown = await get('/v1/users/nobody');
    expect(unknown.status).toBe(404);
    expect((await body(unknown)).code).toBe('NoSuchEntity');

    const bad = await post('/v1/users', { UserName: 'no spaces allowed' });
    expect(bad.status).toBe(400);
    expect((await body(bad)).code).toBe('ValidationError');
  });

  it('carries the request id over NATS into the identity log line of that request', async () => {
    const response = await post('/v1/users', { UserName: 'carol' });
    const requestId = response.headers.get('x-amzn-requestid');
    expect(requestId).toBeTruthy();
    const line = await services['identity'].waitForLine(new RegExp(`"requestId":"${requestId}".*"subject":"[^"]*identity.user.create"`), 5_000);
    expect(JSON.parse(line)).toMatchObject({ service: 'identity', requestId, outcome: 'ok' });
  });

  it('refuses to start with a bad configuration value, with one line naming it', async () => {
    const bad = startApp('identity', { ...env, IAM_ACCOUNT_ID: '12345' });
    const line = await bad.waitForLine(/IAM_ACCOUNT_ID/);
    expect(line).toBe("identity: configuration error: IAM_ACCOUNT_ID must be exactly 12 digits (got '12345')");
    expect(await bad.waitForExit()).toBe(1);
  });

  it('answers 503 within the send timeout when identity is down, and /health names it', async () => {
    await services['identity'].stop('SIGKILL');

    // NATS drops the killed process's subscription once it has read the connection's close; a
    // request sent before that on a busy machine waits out the send timeout (503 all the same).
    const NO_REPLICA = 'The identity service is unavailable: no replica is listening.';
    const ask = async () => {
      const started = Date.now();
      const response = await get('/v1/users/alice');
      return { status: response.status, body: await body(response), ms: Date.now() - started };
    };
    let reply = await ask();
    for (let tries = 0; tries < 5 && reply.status === 503 && reply.body.message !== NO_REPLICA; tries++) reply = await ask();
    expect(reply.status).toBe(503);
    // Then NATS answers "no responders" at once: the gateway does not wait for its send timeout.
    expect(reply.body).toMatchObject({ code: 'ServiceUnavailable', message: NO_REPLICA });
    expect(reply.ms).toBeLessThan(BUS_TIMEOUT_MS);

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(503);
    const report = await body(health);
    expect(Object.keys(report.error)).toEqual(['identity']);
    expect(report.info).toMatchObject({ gateway: { status: 'up' }, directory: { status: 'up' }, authorization: { status: 'up' } });

    await startService('identity');
    await waitForStatus(`${base}/health`);
    expect((await get('/v1/users/alice')).status).toBe(200);
  });

  it('stops gracefully on SIGTERM', async () => {
    expect(await gateway.stop('SIGTERM')).toBe(0);
    expect(gateway.lines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  });
});
