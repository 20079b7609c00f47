import { describeWithNatsServer, postgresInstalled, servicesRequired } from '@iam/testing';
import { writeFileSync } from 'node:fs';
import { ACCOUNT } from './support/gateway';
import { DECISION_CASES, expectedDecision, caseKey, FaultLoad, type LoadShape, type Tally } from './support/fault-load';
import { APPS, startFaultSystem, type FaultSystem } from './support/fault-system';

/**
 * Faults under load, on the distributed mode with a NATS and a PostgreSQL of the spec's own:
 * NATS restarted, PostgreSQL restarted, each app killed (`kill -9`) and restarted, each app paused
 * (SIGSTOP) past the bus timeout and resumed, while writers, readers, limited users and callers of
 * POST /v1/authorize keep going. For every fault: no acknowledged write lost, no wrong allow, every
 * failure a 503 ServiceUnavailable and none left without an answer, and the same calls succeed
 * again without any manual step.
 *
 * The short profile runs in CI; `IAM_FAULTS_PROFILE=full` runs more clients, longer outages and
 * three rounds of every fault. `IAM_FAULTS_REPORT=<file>` writes the figures as JSON.
 */
const FULL = process.env['IAM_FAULTS_PROFILE'] === 'full';
const PROFILE = FULL
  ? { rounds: 3, shape: { writers: 8, deciders: 4, limited: 4 } as LoadShape, outageMs: 5_000, busTimeoutMs: 2_000, settleCalls: 60 }
  : { rounds: 1, shape: { writers: 3, deciders: 2, limited: 2 } as LoadShape, outageMs: 500, busTimeoutMs: 2_000, settleCalls: 15 };
/** A failure slower than this is counted as slow (a request crosses up to three bus calls). */
const SLOW_MS = 3 * PROFILE.busTimeoutMs + 2_000;
/** No answer within this long is a hang: none is allowed. */
const HANG_MS = 30_000;
/** How long the system has to come back by itself after each fault. */
const RECOVERY_MS = 90_000;

jest.setTimeout(FULL ? 3_600_000 : 300_000);

const describeWithPostgres = postgresInstalled() || servicesRequired() ? describeWithNatsServer : describe.skip;

interface Figures {
  fault: string;
  requests: number;
  ok: number;
  unavailable: number;
  unreachable: number;
  slowFailures: number;
  hung: number;
  maxFailureMs: number;
  /** The call made during the fault that needed what was broken. */
  probe: string;
  maxMs: number;
  recoveryMs: number;
  acknowledgedWrites: number;
  lostWrites: number;
  decisions: number;
  wrongAllows: number;
  wrongDenies: number;
  problems: number;
}

describeWithPostgres('faults under load: own NATS and PostgreSQL, restarts, kill -9 and SIGSTOP of every app', () => {
  let system: FaultSystem;
  let load: FaultLoad;
  const figures: Figures[] = [];
  const everything: Tally[] = [];

  beforeAll(async () => {
    system = await startFaultSystem({ busTimeoutMs: PROFILE.busTimeoutMs });
    load = new FaultLoad(system.base, system.root, ACCOUNT, HANG_MS, SLOW_MS);
    await load.setUp();
  });

  afterAll(async () => {
    await load?.stop();
    if (figures.length > 0) {
      const table = figures.map((f) => Object.values(f).join(' | ')).join('\n');
      console.log(`faults (${FULL ? 'full' : 'short'} profile):\n${Object.keys(figures[0]).join(' | ')}\n${table}`);
      if (process.env['IAM_FAULTS_REPORT']) writeFileSync(process.env['IAM_FAULTS_REPORT'], JSON.stringify({ profile: FULL ? 'full' : 'short', ...PROFILE, figures }, null, 2));
    }
    await system?.stop();
  });

  it('decides as the stored policies say before any fault (the baseline every decision is compared with)', async () => {
    const finals = await load.decideAll();
    for (const c of DECISION_CASES) expect(`${caseKey(c)} → ${finals.get(caseKey(c))}`).toBe(`${caseKey(c)} → ${expectedDecision(c)}`);
  });

  /** Runs the load, waits for it to settle, applies the fault, measures the recovery, checks everything. */
  const underLoad = async (fault: string, apply: () => Promise<void>): Promise<void> => {
    const label = fault.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    const tally = load.start(label, PROFILE.shape);
    everything.push(tally);
    const until = async (what: () => boolean, ms: number, why: string) => {
      const started = Date.now();
      while (!what()) {
        if (Date.now() - started > ms) throw new Error(`${fault}: ${why} within ${ms} ms (${tally.ok} ok, ${tally.unavailable} 503, problems: ${tally.problems.slice(0, 5).join('; ')})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    let recoveryMs = -1;
    try {
      await until(() => tally.ok >= PROFILE.settleCalls, 60_000, 'the load did not get going');
      await apply();
      recoveryMs = await load.recovery(label, RECOVERY_MS);
      // The workers' own calls succeed again too.
      const okAfter = tally.ok;
      await until(() => tally.ok >= okAfter + PROFILE.settleCalls, RECOVERY_MS, 'the load did not succeed again');
    } finally {
      await load.stop();
    }
    const lost = await load.lostWrites(tally);
    const decided = await load.wrongDecisions(tally);
    const acknowledgedWrites = Object.values(tally.writes).reduce((a, b) => a + b, 0);
    figures.push({
      fault,
      requests: tally.calls,
      ok: tally.ok,
      unavailable: tally.unavailable,
      unreachable: tally.unreachable,
      slowFailures: tally.slowFailures,
      hung: tally.hung,
      maxFailureMs: tally.maxFailureMs,
      probe: lastProbe(),
      maxMs: tally.maxMs,
      recoveryMs,
      acknowledgedWrites,
      lostWrites: lost.length,
      decisions: tally.decisions.length,
      wrongAllows: tally.wrongAllows.length + decided.wrongAllows.length,
      wrongDenies: decided.wrongDenies.length,
      problems: tally.problemCount,
    });
    // The apps' error lines come with the problems, to say what went wrong where.
    const errors = tally.problemCount > 0 ? system.lines().filter((line) => /"level":"(error|fatal)"/.test(line)).slice(-10) : [];
    expect({ fault, problems: tally.problems, errors }).toEqual({ fault, problems: [], errors: [] });
    expect({ fault, lost }).toEqual({ fault, lost: [] });
    expect({ fault, wrongAllows: [...tally.wrongAllows, ...decided.wrongAllows] }).toEqual({ fault, wrongAllows: [] });
    expect({ fault, wrongDenies: decided.wrongDenies }).toEqual({ fault, wrongDenies: [] });
    expect(tally.hung).toBe(0);
    // The load did write and decide during the window, or the figures above would prove nothing.
    expect(acknowledgedWrites).toBeGreaterThan(0);
    expect(tally.decisions.length).toBeGreaterThan(0);
  };

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** A call that needs `app`, made while the fault is on: it must fail as a 503 (or, the gateway being down, not connect). */
  const probeDuring = async (app: (typeof APPS)[number], expected: 'unavailable' | 'unreachable' = 'unavailable') => {
    const outcome = await load.probe(app);
    probes.push(`${outcome.kind === 'unavailable' ? '503' : outcome.kind} in ${outcome.ms} ms`);
    expect({ app, kind: outcome.kind, code: outcome.ok ? 'ok' : outcome.code }).toEqual({ app, kind: expected, code: expected === 'unavailable' ? 'ServiceUnavailable' : 'Unreachable' });
  };
  const probes: string[] = [];
  const lastProbe = () => probes.at(-1) ?? '-';

  for (let round = 1; round <= PROFILE.rounds; round++) {
    const suffix = PROFILE.rounds > 1 ? ` (round ${round})` : '';

    it(`restart NATS${suffix}`, async () => {
      await underLoad(`NATS restart${suffix}`, async () => {
        await system.nats.stop();
        await probeDuring('identity');
        await sleep(PROFILE.outageMs);
        await system.nats.restart();
      });
    });

    it(`restart PostgreSQL${suffix}`, async () => {
      await underLoad(`PostgreSQL restart${suffix}`, async () => {
        await system.postgres.stop();
        await probeDuring('identity');
        await sleep(PROFILE.outageMs);
        await system.postgres.start();
      });
    });

    for (const app of APPS) {
      it(`kill -9 ${app} and start it again${suffix}`, async () => {
        await underLoad(`kill -9 ${app}${suffix}`, async () => {
          await system.kill(app);
          await probeDuring(app, app === 'gateway' ? 'unreachable' : 'unavailable');
          if (FULL) await sleep(PROFILE.outageMs);
          await system.launch(app);
        });
      });
    }

    for (const app of APPS) {
      it(`SIGSTOP ${app} past the bus timeout, then SIGCONT${suffix}`, async () => {
        await underLoad(`SIGSTOP ${app}${suffix}`, async () => {
          const paused = Date.now();
          system.signal(app, 'SIGSTOP');
          try {
            // Behind the gateway, a call that needs the paused app fails as a 503 after the bus timeout; a paused gateway only delays its answers.
            if (app !== 'gateway') await probeDuring(app);
            else probes.push('-');
            await sleep(Math.max(0, PROFILE.busTimeoutMs + 1_000 + (FULL ? PROFILE.outageMs : 0) - (Date.now() - paused)));
          } finally {
            system.signal(app, 'SIGCONT');
          }
        });
      });
    }
  }

  it('keeps every write acknowledged during every fault, after all of them', async () => {
    const lost: string[] = [];
    for (const tally of everything) lost.push(...(await load.lostWrites(tally, 2)));
    expect(lost).toEqual([]);
  });
});
