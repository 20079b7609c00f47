import { describeWithServices } from '@iam/testing';
import { type Credentials, signedFetch } from './support/gateway';
import { body } from './support/processes';
import { type Replica, type ScaledSystem, startScaledSystem } from './support/scaled-system';

// Whole systems start as processes on a machine that may be busy.
jest.setTimeout(240_000);

/** The value of one series in a Prometheus text exposition (0 when absent), summed over series whose labels include `labels`. */
function seriesValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^([^{ ]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) total += Number(match[3]);
  }
  return total;
}

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/**
 * The distributed mode scaled out, as processes on one NATS (own subject prefix) and one
 * PostgreSQL (own database): two replicas of each service and two gateways.
 */
describeWithServices('scale-out: two replicas of each service and two gateways', () => {
  let system: ScaledSystem;
  let root: Credentials;
  const gateways = () => system.gateways;
  const of = (app: Replica['app']) => system.of(app);

  beforeAll(async () => {
    system = await startScaledSystem({ name: 'scale', busTimeoutMs: 5000 });
    root = system.root;
  });

  afterAll(async () => {
    await system?.stop();
  });

  const base = (gateway: Replica) => `http://127.0.0.1:${gateway.port}`;
  const call = (gateway: Replica, credentials: Credentials, method: string, path: string, json?: unknown) =>
    signedFetch(base(gateway), credentials, {
      method,
      path,
      ...(json === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
    });

  /** Steady load: `clients` loops alternating gateways, each a GetUser and a ListGroupsForUser, until `stop` resolves. */
  async function load(user: string, clients: number, stop: Promise<void>): Promise<{ ok: number; failed: string[] }> {
    let done = false;
    void stop.then(() => (done = true));
    const failed: string[] = [];
    let ok = 0;
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let i = 0; !done; i++) {
          const gateway = gateways()[(client + i) % 2];
          const path = i % 2 === 0 ? `/v1/users/${user}` : `/v1/users/${user}/groups`;
          try {
            const response = await call(gateway, root, 'GET', path);
            if (response.status === 200) ok++;
            else failed.push(`${path} ${response.status} ${await response.text()}`);
          } catch (error) {
            failed.push(`${path} ${(error as Error).message}`);
          }
        }
      }),
    );
    return { ok, failed };
  }

  it('serves every app\'s probes and metrics, and every replica serves a share of the load', async () => {
    const [first] = gateways();
    expect((await call(first, root, 'POST', '/v1/users', { UserName: 'steady' })).status).toBe(201);
    const result = await load('steady', 8, new Promise((done) => setTimeout(done, 6_000)));
    expect(result.failed).toEqual([]);
    expect(result.ok).toBeGreaterThan(20);

    for (const replica of [...system.services, ...system.gateways]) {
      expect((await fetch(`http://127.0.0.1:${replica.port}/health/live`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${replica.port}/health/ready`)).status).toBe(200);
    }
    for (const app of ['identity', 'directory'] as const) {
      const pattern = app === 'identity' ? 'identity.user.get' : 'directory.user.groups.list';
      for (const replica of of(app)) {
        const text = await scrape(replica.port);
        expect({ replica: replica.port, handled: seriesValue(text, 'iam_bus_handler_duration_seconds_count', { service: app, outcome: 'ok' }) > 0 }).toEqual({ replica: replica.port, handled: true });
        expect(seriesValue(text, 'iam_bus_handler_duration_seconds_count', { service: app, pattern, outcome: 'ok' })).toBeGreaterThan(0);
        expect(text).toMatch(new RegExp(`^iam_db_pool_connections\\{service="${app}",state="idle"\\} \\d+`, 'm'));
      }
    }
    let served = 0;
    for (const gateway of gateways()) {
      const text = await scrape(gateway.port);
      const getUser = seriesValue(text, 'iam_http_requests_total', { operation: 'GetUser', outcome: 'ok' });
      expect(getUser).toBeGreaterThan(0);
      served += getUser + seriesValue(text, 'iam_http_requests_total', { operation: 'ListGroupsForUser', outcome: 'ok' });
      expect(seriesValue(text, 'iam_http_request_duration_seconds_count', { operation: 'GetUser' })).toBe(getUser);
      expect(seriesValue(text, 'iam_bus_client_request_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(0);
    }
    expect(served).toBe(result.ok);
  });

  it('counts decisions by result and sign-in failures by outcome', async () => {
    const [first, second] = gateways();
    expect((await call(first, root, 'POST', '/v1/users', { UserName: 'limited' })).status).toBe(201);
    const key = (await body(await call(first, root, 'POST', '/v1/users/limited/access-keys'))).AccessKey;
    const limited = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    const before = seriesValue(await scrape(second.port), 'iam_authorization_decisions_total', { result: 'implicitDeny' });
    expect((await call(second, limited, 'GET', '/v1/users')).status).toBe(403);
    expect(seriesValue(await scrape(second.port), 'iam_authorization_decisions_total', { result: 'implicitDeny' })).toBe(before + 1);
    const text = await scrape(second.port);
    expect(seriesValue(text, 'iam_http_requests_total', { operation: 'ListUsers', outcome: 'AccessDenied' })).toBe(1);
  });

  it('a revocation through one gateway holds at once through the other', async () => {
    const [first, second] = gateways();
    expect((await call(first, root, 'POST', '/v1/users', { UserName: 'revoked' })).status).toBe(201);
    const key = (await body(await call(first, root, 'POST', '/v1/users/revoked/access-keys'))).AccessKey;
    const user = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    const attach = await call(first, root, 'POST', '/v1/users/revoked/attached-policies', { PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    expect(attach.status).toBeLessThan(300);
    // Warm both gateways' and every replica's view of the grant.
    for (let i = 0; i < 6; i++) expect((await call(gateways()[i % 2], user, 'GET', '/v1/users')).status).toBe(200);
    const detach = await call(first, root, 'DELETE', `/v1/users/revoked/attached-policies/${encodeURIComponent('arn:aws:iam::aws:policy/IAMReadOnlyAccess')}`);
    expect(detach.status).toBeLessThan(300);
    const after = await Promise.all(Array.from({ length: 10 }, () => call(second, user, 'GET', '/v1/users')));
    expect(after.map((r) => r.status)).toEqual(Array(10).fill(403));
  });

  it('SIGTERM to a replica mid-load fails no read: it drains and the other replica takes over', async () => {
    const [victim, survivor] = of('identity');
    let stopLoad!: () => void;
    const running = load('steady', 8, new Promise<void>((done) => (stopLoad = done)));
    await new Promise((done) => setTimeout(done, 2_000));
    const before = seriesValue(await scrape(survivor.port), 'iam_bus_handler_duration_seconds_count', { service: 'identity' });
    expect(await victim.process.stop('SIGTERM')).toBe(0);
    await new Promise((done) => setTimeout(done, 3_000));
    stopLoad();
    const result = await running;
    expect(result.failed).toEqual([]);
    expect(seriesValue(await scrape(survivor.port), 'iam_bus_handler_duration_seconds_count', { service: 'identity' })).toBeGreaterThan(before);
  });

  it('kill -9 of a replica mid-load fails no read: what it held is sent once more, to the other replica', async () => {
    const [victim, survivor] = of('directory');
    let stopLoad!: () => void;
    const running = load('steady', 8, new Promise<void>((done) => (stopLoad = done)));
    await new Promise((done) => setTimeout(done, 2_000));
    await victim.process.stop('SIGKILL');
    // Longer than the bus timeout: anything the dead replica held has been sent again by now.
    await new Promise((done) => setTimeout(done, 7_000));
    stopLoad();
    const result = await running;
    expect(result.failed).toEqual([]);
    const text = await scrape(survivor.port);
    expect(seriesValue(text, 'iam_bus_handler_duration_seconds_count', { service: 'directory', pattern: 'directory.user.groups.list', outcome: 'ok' })).toBeGreaterThan(0);
  });
});
