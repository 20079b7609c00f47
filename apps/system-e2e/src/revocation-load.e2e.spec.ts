import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { describeWithServices, TEST_NATS_URL } from '@iam/testing';
import { type Credentials, expectOk, restDriver } from './support/gateway';
import { HoldingProxy } from './support/holding-proxy';
import type { RunningProcess } from './support/processes';
import { type ScaledSystem, startScaledSystem } from './support/scaled-system';
import {
  allowedBy,
  type ChangeRecord,
  classify,
  describeVerdict,
  type Dimension,
  DIMENSIONS,
  isGood,
  judge,
  percentile,
  type RequestRecord,
  seededRandom,
  sendQuery,
  type SignedQuery,
  signQuery,
  type UserState,
  type Verdict,
} from './support/revocation';

/**
 * Revocation under load, distributed, real NATS and PostgreSQL: two replicas of each service and
 * two gateways deciding from their data planes, users calling `GetUser` on themselves through
 * both gateways without pause, while another client narrows and widens what each user may do.
 * Judged from the client's own clock: a request that started after a change returned (and ended
 * before the next change on its user started) must be decided under the state that change left,
 * whichever gateway it reached; right after each change, requests go through the gateway that
 * did not make it. A second test pauses one gateway (SIGSTOP) past its lease: the changes made
 * meanwhile return within twice the lease, and the resumed gateway, while it still hears nothing
 * from NATS (held back by a proxy), answers nothing from what it cached before. A third holds
 * back for 500 ms what NATS sends one gateway (it keeps running and beating): a change made
 * meanwhile returns only once that gateway dropped what it affects.
 *
 * Short profile (CI): 150 changes. Full profile: `IAM_REVOCATION_PROFILE=full` (1,000 changes).
 * `IAM_REVOCATION_SEED` replays a run's changes.
 */
const FULL = process.env['IAM_REVOCATION_PROFILE'] === 'full';
const CHANGES = FULL ? 1_000 : 150;
const MIN_JUDGED = FULL ? 3_000 : 500;
const USERS = 8;
const CALLERS = 8;
const LEASE_MS = 1_500;
const PAUSED_CHANGES = 20;
/** Requests sent through the other gateway the moment a change returns. */
const PROBES = 6;
/** Rounds of the test where one gateway hears of changes late, and for how long it hears nothing. */
const HELD_ROUNDS = FULL ? 40 : 12;
const HOLD_MS = 500;
const SEED = Number(process.env['IAM_REVOCATION_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

// Whole systems start as processes on a machine that may be busy.
jest.setTimeout(FULL ? 1_800_000 : 240_000);

const GROUP = 'revocation-readers';
const DENY_POLICY = 'deny-get-user';
const DENY_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:GetUser', Resource: '*' }] });
const ALLOW_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });

interface Gateway {
  port: number;
  process: RunningProcess;
  base: string;
  /** Keep-alive connections for the load. */
  agent: Agent;
  /** Keep-alive connections for the probes sent as a change returns: open and idle then, so that a probe is sent at once. */
  probeAgent: Agent;
}

interface User {
  name: string;
  credentials: Credentials;
  state: UserState;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describeWithServices('Revocation under load, distributed, real NATS and PostgreSQL', () => {
  let system: ScaledSystem;
  let root: Credentials;
  const gateways: Gateway[] = [];
  const users: User[] = [];
  /** Every change (and each user's setup), in order: the judge's reference. */
  const changes: ChangeRecord[] = [];
  const random = seededRandom(SEED);
  /** Gateways (by index) reached on connections of their own: one paused must not find a keep-alive connection it timed out meanwhile. */
  const freshConnections = new Set<number>();
  /** Between the second gateway and NATS: holds back what NATS sends it. */
  let proxy: HoldingProxy;

  beforeAll(async () => {
    const nats = new URL(TEST_NATS_URL);
    proxy = await HoldingProxy.start({ host: nats.hostname, port: Number(nats.port || 4222) });
    system = await startScaledSystem({
      name: 'revoke',
      // Longer than any pause of a gateway here: a request it had on the bus when paused is answered, not timed out.
      busTimeoutMs: 15_000,
      gatewayEnv: (i) => ({ ...(i === 1 ? { NATS_URL: `nats://127.0.0.1:${proxy.port}` } : {}), IAM_GATEWAY_CACHE: 'on', IAM_GATEWAY_CACHE_LEASE_MS: String(LEASE_MS) }),
    });
    root = system.root;
    for (const { port, process } of system.gateways) {
      gateways.push({ port, process, base: `http://127.0.0.1:${port}`, agent: new Agent({ keepAlive: true }), probeAgent: new Agent({ keepAlive: true }) });
    }

    // G with a managed policy allowing iam:GetUser; each user in G with an access key.
    const rest = restDriver(gateways[0].base);
    const policy = await expectOk(rest(root, 'CreatePolicy', { PolicyName: 'revocation-get-user', PolicyDocument: ALLOW_DOCUMENT }));
    await expectOk(rest(root, 'CreateGroup', { GroupName: GROUP }));
    await expectOk(rest(root, 'AttachGroupPolicy', { GroupName: GROUP, PolicyArn: (policy['Policy'] as { Arn: string }).Arn }));
    for (let i = 0; i < USERS; i++) {
      const name = `revoke-${i}`;
      await expectOk(rest(root, 'CreateUser', { UserName: name }));
      await expectOk(rest(root, 'AddUserToGroup', { GroupName: GROUP, UserName: name }));
      const key = (await expectOk(rest(root, 'CreateAccessKey', { UserName: name })))['AccessKey'] as { AccessKeyId: string; SecretAccessKey: string };
      users.push({ name, credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }, state: { member: true, active: true, deny: false } });
    }
    const setUp = performance.now();
    for (const user of users) changes.push({ user: user.name, action: 'setup', gateway: 0, start: setUp, end: setUp, state: { ...user.state } });
  });

  afterAll(async () => {
    for (const gateway of gateways) {
      gateway.agent.destroy();
      gateway.probeAgent.destroy();
    }
    await system?.stop();
    await proxy?.close();
  });

  const getUser = (index: number, user: User) => signQuery(gateways[index].base, user.credentials, { Action: 'GetUser' });

  /** One `GetUser` of `user` on itself through gateway `index` (signed beforehand when `signed` is given: sent at once), recorded. */
  async function call(index: number, user: User, into: RequestRecord[], options: { probe?: boolean; signed?: SignedQuery; agent?: Agent } = {}): Promise<RequestRecord> {
    const gateway = gateways[index];
    const start = performance.now();
    let result: { outcome: RequestRecord['outcome']; detail?: string };
    try {
      const response = await sendQuery(options.signed ?? (await getUser(index, user)), freshConnections.has(index) ? false : (options.agent ?? gateway.agent));
      result = classify(user.name, response.status, response.text);
    } catch (error) {
      result = { outcome: 'other', detail: (error as Error).message };
    }
    const record: RequestRecord = { user: user.name, gateway: index, start, end: performance.now(), ...result, ...(options.probe ? { probe: true } : {}) };
    into.push(record);
    return record;
  }

  /** `CALLERS` loops, caller `c` on gateway `c % 2`, each calling as a random user, until the returned stop is called. */
  function load(into: RequestRecord[]): () => Promise<void> {
    let running = true;
    const loops = Array.from({ length: CALLERS }, async (_, caller) => {
      while (running) await call(caller % 2, users[Math.floor(Math.random() * users.length)], into);
    });
    return async () => {
      running = false;
      await Promise.all(loops);
    };
  }

  /** Sets `dimension` of `user` to `good` (or not) through gateway `index`, recorded. */
  async function change(index: number, user: User, dimension: Dimension, good: boolean): Promise<ChangeRecord> {
    const rest = restDriver(gateways[index].base);
    const [action, params] = ((): [string, Record<string, unknown>] => {
      switch (dimension) {
        case 'member':
          return [good ? 'AddUserToGroup' : 'RemoveUserFromGroup', { GroupName: GROUP, UserName: user.name }];
        case 'active':
          return ['UpdateAccessKey', { UserName: user.name, AccessKeyId: user.credentials.accessKeyId, Status: good ? 'Active' : 'Inactive' }];
        case 'deny':
          return good ? ['DeleteUserPolicy', { UserName: user.name, PolicyName: DENY_POLICY }] : ['PutUserPolicy', { UserName: user.name, PolicyName: DENY_POLICY, PolicyDocument: DENY_DOCUMENT }];
      }
    })();
    const start = performance.now();
    const outcome = await rest(root, action, params);
    const end = performance.now();
    if (!outcome.ok) throw new Error(`${action} ${JSON.stringify(params)} through gateway ${index} failed: ${outcome.code} ${outcome.message}`);
    if (dimension === 'deny') user.state.deny = !good;
    else user.state[dimension] = good;
    const record: ChangeRecord = { user: user.name, action: `${action}${dimension === 'active' ? ` ${params['Status']}` : ''}`, gateway: index, start, end, state: { ...user.state } };
    changes.push(record);
    return record;
  }

  /** Each user through each gateway, with no change under way (recorded); `check` expects each decided as the user's last change says. */
  async function finalStates(into: RequestRecord[]): Promise<{ check(): void }> {
    const seen: string[] = [];
    const expected: string[] = [];
    for (const user of users) {
      for (let index = 0; index < gateways.length; index++) {
        const record = await call(index, user, into);
        seen.push(`${user.name} via ${index}: ${record.outcome}`);
        expected.push(`${user.name} via ${index}: ${allowedBy(user.state) ? 'allowed' : 'denied'}`);
      }
    }
    return { check: () => expect(seen).toEqual(expected) };
  }

  function expectClean(verdict: Verdict): void {
    const report = describeVerdict(verdict, changes);
    expect({ staleAllows: verdict.staleAllows.length, staleDenies: verdict.staleDenies.length, others: verdict.others.length, report }).toEqual({
      staleAllows: 0,
      staleDenies: 0,
      others: 0,
      report: '',
    });
  }

  it(`decides every request that follows a change under that change (${CHANGES} changes, ${CALLERS} callers over two gateways)`, async () => {
    const requests: RequestRecord[] = [];
    const probes: Array<Promise<RequestRecord>> = [];
    const stop = load(requests);
    const latencies: number[] = [];
    const started = performance.now();
    try {
      await sleep(500);
      for (let i = 0; i < CHANGES; i++) {
        const user = users[Math.floor(random() * users.length)];
        const bad = DIMENSIONS.filter((d) => !isGood(user.state, d));
        // Restore more often than not, so that both outcomes are common; otherwise flip any one.
        const dimension = bad.length > 0 && random() < 0.6 ? bad[Math.floor(random() * bad.length)] : DIMENSIONS[Math.floor(random() * DIMENSIONS.length)];
        const writer = Math.floor(random() * gateways.length);
        // Sent the moment the change returns: through the other gateway (whose caches the change reached over the bus) and one through the writer.
        const targets = [...Array<number>(PROBES).fill(1 - writer), writer];
        const ready = await Promise.all(targets.map(async (index) => ({ index, signed: await getUser(index, user) })));
        const made = await change(writer, user, dimension, !isGood(user.state, dimension));
        for (const { index, signed } of ready) probes.push(call(index, user, requests, { probe: true, signed, agent: gateways[index].probeAgent }));
        latencies.push(made.end - made.start);
        await sleep(Math.floor(random() * 60));
      }
      await sleep(500);
    } finally {
      await Promise.all(probes);
      await stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const final = await finalStates(requests);

    const verdict = judge(requests, changes);
    const perGateway = [0, 1].map((g) => requests.filter((r) => r.gateway === g).length);
    process.stdout.write(
      `revocation under load (${FULL ? 'full' : 'short'} profile, seed ${SEED}): ${verdict.requests} requests in ${seconds.toFixed(1)} s (${perGateway.join(' + ')} per gateway), ` +
        `judged ${verdict.judged} (${verdict.judgedAllowed} allowed, ${verdict.judgedDenied} denied; ${verdict.judgedProbes} of ${probes.length} probes sent as a change returned), ${CHANGES} changes, ` +
        `change latency p50 ${percentile(latencies, 50).toFixed(0)} ms / p99 ${percentile(latencies, 99).toFixed(0)} ms / max ${percentile(latencies, 100).toFixed(0)} ms, ` +
        `stale allows ${verdict.staleAllows.length}, stale denies ${verdict.staleDenies.length}, other ${verdict.others.length}\n`,
    );
    expectClean(verdict);
    final.check();
    expect(verdict.judged).toBeGreaterThanOrEqual(MIN_JUDGED);
    expect(verdict.judgedAllowed).toBeGreaterThanOrEqual(50);
    expect(verdict.judgedDenied).toBeGreaterThanOrEqual(50);
    for (const g of [0, 1]) expect(requests.filter((r) => r.gateway === g && r.outcome !== 'other').length).toBeGreaterThan(100);
  });

  it('a gateway paused past its lease holds up no change for longer than the lease, and answers nothing it cached before once resumed (before it hears the invalidations)', async () => {
    const [writer, paused] = [0, 1];
    // Everyone allowed, and both gateways' caches warm with it.
    for (const user of users) {
      for (const dimension of DIMENSIONS) if (!isGood(user.state, dimension)) await change(writer, user, dimension, true);
    }
    const requests: RequestRecord[] = [];
    const probes: Array<Promise<RequestRecord>> = [];
    const stop = load(requests);
    const latencies: number[] = [];
    let stoppedFor = 0;
    try {
      await sleep(2_000);
      const warm = requests.filter((r) => r.gateway === paused && r.outcome === 'allowed').map((r) => r.user);
      expect(new Set(warm).size).toBeGreaterThanOrEqual(USERS / 2);

      // From here on the paused gateway is reached on fresh connections (keep-alive ones may time out on its clock when it resumes).
      freshConnections.add(paused);
      await sleep(200);
      // What NATS sends it while it is stopped (the invalidations among it) stays held back for a while after it resumes.
      proxy.hold();
      gateways[paused].process.signal('SIGSTOP');
      const stoppedAt = performance.now();
      try {
        // Narrowing changes through the other gateway, on every user but the last (which stays allowed throughout).
        // Each of them at least once (so each ends denied), then at random.
        const narrowed = users.slice(0, -1).sort(() => random() - 0.5);
        for (let i = 0; i < PAUSED_CHANGES; i++) {
          const candidates = users.slice(0, -1).filter((u) => DIMENSIONS.some((d) => isGood(u.state, d)));
          const user = i < narrowed.length ? narrowed[i] : candidates[Math.floor(random() * candidates.length)];
          const good = DIMENSIONS.filter((d) => isGood(user.state, d));
          const made = await change(writer, user, good[Math.floor(random() * good.length)], false);
          latencies.push(made.end - made.start);
          // Queued in the paused gateway's socket, started after the change returned.
          probes.push(call(paused, user, requests, { probe: true }));
        }
        await sleep(Math.max(0, stoppedAt + LEASE_MS + 500 - performance.now()));
        for (const user of users) for (let i = 0; i < 2; i++) probes.push(call(paused, user, requests, { probe: true }));
        await sleep(300);
      } finally {
        stoppedFor = performance.now() - stoppedAt;
        gateways[paused].process.signal('SIGCONT');
      }
      try {
        // Resumed with the probes in its socket and no invalidation heard yet: only its own lapsed lease keeps it from answering them from its caches.
        await sleep(500);
      } finally {
        proxy.release();
      }
      await Promise.all(probes);
      freshConnections.delete(paused);
      await sleep(2_000);
    } finally {
      await stop();
    }
    const final = await finalStates(requests);

    const verdict = judge(requests, changes);
    const resumed = requests.filter((r) => r.gateway === paused);
    process.stdout.write(
      `paused gateway (lease ${LEASE_MS} ms, stopped ${stoppedFor.toFixed(0)} ms): ${PAUSED_CHANGES} changes, latency first ${latencies[0].toFixed(0)} ms, ` +
        `max after the first ${percentile(latencies.slice(1), 100).toFixed(0)} ms, p50 ${percentile(latencies, 50).toFixed(0)} ms; ` +
        `${verdict.requests} requests (${resumed.length} to the paused gateway, ${probes.length} probes of which ${verdict.judgedProbes} judged), judged ${verdict.judged} ` +
        `(${verdict.judgedAllowed} allowed, ${verdict.judgedDenied} denied), stale allows ${verdict.staleAllows.length}, stale denies ${verdict.staleDenies.length}, other ${verdict.others.length}\n`,
    );
    for (const latency of latencies) expect(latency).toBeLessThanOrEqual(2 * LEASE_MS);
    expectClean(verdict);
    final.check();
    // The last probes (two per user, after the last change) are all judged: the resumed gateway was asked about every user's final state.
    expect(verdict.judgedProbes).toBeGreaterThanOrEqual(2 * USERS);
    expect(resumed.filter((r) => r.probe && r.outcome === 'denied').length).toBeGreaterThanOrEqual(2 * (USERS - 1));
    expect(resumed.filter((r) => r.probe && r.user === users[USERS - 1].name && r.outcome === 'allowed').length).toBeGreaterThanOrEqual(2);
  });
  it('no change returns before a gateway that hears of it late (its NATS traffic held back) dropped what it affects', async () => {
    const [writer, late] = [0, 1];
    for (const user of users) {
      for (const dimension of DIMENSIONS) if (!isGood(user.state, dimension)) await change(writer, user, dimension, true);
    }
    const requests: RequestRecord[] = [];
    const probes: Array<Promise<RequestRecord>> = [];
    const latencies: number[] = [];
    const stop = load(requests);
    try {
      await sleep(1_000);
      for (let round = 0; round < HELD_ROUNDS; round++) {
        const user = users[round % USERS];
        const dimension = DIMENSIONS[round % DIMENSIONS.length];
        // The late gateway holds the user's grant in its caches.
        await call(late, user, requests);
        const ready = await Promise.all(Array.from({ length: PROBES }, () => getUser(late, user)));
        proxy.hold();
        const released = sleep(HOLD_MS).then(() => proxy.release());
        try {
          // Returns once the late gateway acknowledged, after the release (or its lease ran out).
          const made = await change(writer, user, dimension, false);
          latencies.push(made.end - made.start);
          for (const signed of ready) probes.push(call(late, user, requests, { probe: true, signed, agent: gateways[late].probeAgent }));
        } finally {
          await released;
        }
        await Promise.all(probes);
        await change(writer, user, dimension, true);
      }
    } finally {
      proxy.release();
      await Promise.all(probes);
      await stop();
    }
    const final = await finalStates(requests);

    const verdict = judge(requests, changes);
    process.stdout.write(
      `late gateway (NATS held ${HOLD_MS} ms, lease ${LEASE_MS} ms): ${HELD_ROUNDS} narrowing changes, latency p50 ${percentile(latencies, 50).toFixed(0)} ms / max ${percentile(latencies, 100).toFixed(0)} ms; ` +
        `${verdict.requests} requests, ${probes.length} probes of which ${verdict.judgedProbes} judged, judged ${verdict.judged} (${verdict.judgedAllowed} allowed, ${verdict.judgedDenied} denied), ` +
        `stale allows ${verdict.staleAllows.length}, stale denies ${verdict.staleDenies.length}, other ${verdict.others.length}\n`,
    );
    expectClean(verdict);
    final.check();
    // Every probe is judged: each was sent after its change returned and answered before the user was restored.
    expect(verdict.judgedProbes).toBe(HELD_ROUNDS * PROBES);
    expect(requests.filter((r) => r.probe && r.outcome === 'denied').length).toBe(HELD_ROUNDS * PROBES);
  });
});
