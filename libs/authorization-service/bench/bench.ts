/**
 * Authorization service benchmark: `nx bench authorization-service`.
 *
 * Needs the PostgreSQL and NATS of the integration specs. Measures, in one run:
 *
 * (a) a decision for a user in 10 groups with 10 managed policies each (100
 *     policies, 300 statements): the raw engine `evaluate` on the same compiled
 *     policies (the baseline), the service's decision use case with a real
 *     database (directory in memory, then directory over NATS), and the
 *     `Authorize` pattern through the bus; decisions/s and p50/p99 latency.
 * (b) the who-can view for 5,000 users and 300 groups: the raw engine analysis
 *     (analyse each distinct policy once, combine per user, in memory) as the
 *     baseline, the service's use case with a real database, and the `WhoCan`
 *     pattern through the bus.
 *
 * Before measuring, every decision of the service is checked against the
 * engine's, and the who-can verdicts against the in-memory analysis. The
 * figures go into the `## Authorization service` section of
 * docs/benchmarks.md (that section only) and are printed.
 */
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthorizationPatterns as P, AuthorizeRequest, BusClient, IdentityPatterns, WhoCanReply } from '@iam/contracts';
import { startService } from '@iam/platform';
import { analyzeAccess, combineAccess, CompiledPolicy, createRequestContext, evaluate, PolicyAccess, policyDocumentSize } from '@iam/policy-engine';
import { createTestDatabase, isolatedNatsTransport, silentLogger, startStubService, StubHandlers, TEST_NATS_URL, testBusClient } from '@iam/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { Client } from 'pg';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { AccessService } from '../src/lib/access/access.service';
import { AuthorizationEnv, authorizationOptions } from '../src/lib/authorization.options';
import { AuthorizationServiceModule, NeighbourOf } from '../src/lib/authorization-service.module';
import { DecisionsService } from '../src/lib/decisions/decisions.service';
import { PolicySets } from '../src/lib/decisions/policy-sets';
import { contentHash } from '../src/lib/inline/inline-policies.service';
import { DirectoryGroups, IdentityUsers } from '../src/lib/shared/neighbours';
import { CompiledDocument } from '../src/lib/documents/policy-documents';
import { ACCOUNT, FakeDirectory, FakeIdentity } from '../src/test-support/harness';

const COMMAND = 'NX_DAEMON=false NX_NO_CLOUD=true npx --no-install nx bench authorization-service';
const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 1000);
const ROUNDS = 3;
const CONCURRENCY = 16;
const ROOT = join(__dirname, '..', '..', '..');
const LOAD_AT_START = os.loadavg()[0];

function fail(message: string): never {
  for (const child of children) child.kill('SIGTERM');
  process.stderr.write(`\nBENCHMARK CHECK FAILED: ${message}\n`);
  process.exit(1);
}

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same account. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** identity answered from the fake's memory, without the bus. */
function memoryIdentity(identity: FakeIdentity): NeighbourOf<IdentityUsers> {
  const handlers = identity.handlers();
  return {
    inNameOrder: async (query) =>
      (handlers[IdentityPatterns.UsersInNameOrder] as NonNullable<StubHandlers[typeof IdentityPatterns.UsersInNameOrder]>)({
        ...(query.after ? { After: query.after } : {}),
        ...(query.userIds ? { UserIds: [...query.userIds] } : {}),
        Limit: query.limit,
      }),
    unknown: async (ids) => ids.filter((id) => !identity.users.has(id)),
    byName: async (name) => identity.byName(name),
    byIds: async (ids) =>
      ids.flatMap((id) => {
        const user = identity.users.get(id);
        return user ? [user] : [];
      }),
  };
}

/** directory answered from the fake's memory, without the bus. */
function memoryDirectory(directory: FakeDirectory): NeighbourOf<DirectoryGroups> {
  return {
    byName: async (name) => {
      for (const group of directory.groups.values()) if (group.GroupName.toLowerCase() === name.toLowerCase()) return group;
      throw new Error(`no group ${name}`);
    },
    byId: async (id) => {
      const group = directory.groups.get(id);
      if (!group) throw new Error(`no group ${id}`);
      return group;
    },
    groupsOfUser: async (userId) => directory.groupsOf(userId),
    groupsOfUsers: async (ids) => Object.fromEntries(ids.map((id) => [id, directory.groupsOf(id)])),
    membersOfGroups: async (ids) => {
      const members: Record<string, string[]> = Object.fromEntries(ids.filter((id) => directory.groups.has(id)).map((id) => [id, [] as string[]]));
      for (const [userId, groups] of directory.memberships) for (const id of groups) members[id]?.push(userId);
      return members;
    },
  };
}

// ── measuring ───────────────────────────────────────────────────────────────

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  samples: number;
}

/** Runs `op` one at a time for a round, timing each call (ms). */
async function sequential(op: (i: number) => Promise<unknown> | unknown): Promise<Figures> {
  for (let i = 0; i < 200; i++) await op(i);
  const latencies: number[] = [];
  const started = performance.now();
  let i = 0;
  while (performance.now() - started < ROUND_MS) {
    const t0 = performance.now();
    await op(i++);
    latencies.push(performance.now() - t0);
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { perSecond: (latencies.length / elapsed) * 1000, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), samples: latencies.length };
}

/** Runs `op` with `CONCURRENCY` calls in flight for a round; calls per second. */
async function concurrent(op: (i: number) => Promise<unknown>): Promise<number> {
  let done = 0;
  let i = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() - started < ROUND_MS) {
        await op(i++);
        done++;
      }
    }),
  );
  return (done / (performance.now() - started)) * 1000;
}

/** A synchronous loop: calls per second and per-call latency (µs, timer included). */
function tight(op: (i: number) => unknown): Figures {
  for (let i = 0; i < 20_000; i++) op(i);
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < ROUND_MS) {
    for (let k = 0; k < 1000; k++) op(n++);
  }
  const perSecond = (n / (performance.now() - started)) * 1000;
  const latencies: number[] = [];
  for (let k = 0; k < 100_000; k++) {
    const t0 = performance.now();
    op(k);
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  return { perSecond, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), samples: n };
}

/** Median of several timed runs of `op` (ms). */
async function timed(runs: number, op: () => Promise<unknown> | unknown): Promise<{ median: number; max: number }> {
  await op();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await op();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), max: times[times.length - 1] };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// ── setup helpers ───────────────────────────────────────────────────────────

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function inBatches<T>(items: T[], size: number, op: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(op));
}

// ── (a) decisions ───────────────────────────────────────────────────────────

async function decisionBench(bus: BusClient, local: INestApplicationContext, remote: INestApplicationContext, identity: FakeIdentity, directory: FakeDirectory) {
  const user = identity.create('bench-user');
  const groups = Array.from({ length: 10 }, (_, g) => directory.create(`bench-group-${g}`));
  for (const group of groups) directory.add(user.UserId, group.GroupId);
  const creates: { name: string; group: string; document: string }[] = [];
  for (let g = 0; g < 10; g++) {
    for (let p = 0; p < 10; p++) {
      creates.push({
        name: `bench-g${g}-p${p}`,
        group: groups[g].GroupName,
        document: doc(
          { Sid: 'Read', Effect: 'Allow', Action: [`s3:Get*`, `s3:List*`], Resource: [`arn:aws:s3:::team-${g}-${p}`, `arn:aws:s3:::team-${g}-${p}/*`] },
          { Sid: 'Own', Effect: 'Allow', Action: [`dynamodb:${p % 2 ? 'Get' : 'Put'}Item`, 'dynamodb:Query'], Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t${g}-\${aws:username}` },
          { Sid: 'Guard', Effect: 'Deny', Action: 's3:Delete*', Resource: `arn:aws:s3:::team-${g}-${p}/*`, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
        ),
      });
    }
  }
  await inBatches(creates, 10, async (c) => {
    const { Policy } = await bus.send(P.CreatePolicy, { PolicyName: c.name, PolicyDocument: c.document });
    await bus.send(P.AttachGroupPolicy, { GroupName: c.group, PolicyArn: Policy.Arn });
  });

  const contextOf = { 'aws:username': 'bench-user', 'aws:userid': user.UserId, 'aws:PrincipalArn': user.Arn, 'aws:SourceIp': '10.1.2.3', 'aws:MultiFactorAuthPresent': 'false' };
  const requests: AuthorizeRequest[] = [
    { Action: 's3:GetObject', Resource: 'arn:aws:s3:::team-7-3/report.csv' },
    { Action: 's3:ListBucket', Resource: 'arn:aws:s3:::team-0-0' },
    { Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::team-4-9/old.csv' },
    { Action: 's3:PutObject', Resource: 'arn:aws:s3:::team-2-2/new.csv' },
    { Action: 'dynamodb:Query', Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t5-bench-user` },
    { Action: 'dynamodb:GetItem', Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t5-someone` },
    { Action: 'ec2:RunInstances', Resource: '*' },
    { Action: 'iam:CreateUser', Resource: `arn:aws:iam::${ACCOUNT}:user/x` },
  ].map((r) => ({ Principal: { Type: 'user', UserId: user.UserId }, ...r, Context: contextOf }));

  // The baseline: the engine alone, on the very policies the service loads.
  const holders = [{ type: 'user' as const, id: user.UserId }, ...groups.map((g) => ({ type: 'group' as const, id: g.GroupId, name: g.GroupName }))];
  const set = await local.get(PolicySets).load(holders);
  if (set.compiled.length !== 100) fail(`expected 100 policies for the user, loaded ${set.compiled.length}`);
  const engineDecision = (r: AuthorizeRequest) => evaluate(set.compiled, { action: r.Action, resource: r.Resource, context: createRequestContext(r.Context ?? {}) });

  const useCaseLocal = local.get(DecisionsService);
  const useCaseRemote = remote.get(DecisionsService);
  const kinds: string[] = [];
  for (const r of requests) {
    const expected = engineDecision(r).decision;
    kinds.push(expected);
    for (const [label, got] of [
      ['use case', (await useCaseLocal.authorize(r)).Decision],
      ['use case, directory over NATS', (await useCaseRemote.authorize(r)).Decision],
      ['bus', (await bus.send(P.Authorize, r)).Decision],
    ]) {
      if (got !== expected) fail(`${label}: ${r.Action} on ${r.Resource} gave ${got}, the engine ${expected}`);
    }
  }
  const pick = (i: number) => requests[i % requests.length];

  // Rounds interleaved across the paths; the median round of each path is reported.
  const rounds = { baseline: [] as Figures[], local1: [] as Figures[], localN: [] as number[], remote1: [] as Figures[], remoteN: [] as number[], bus1: [] as Figures[], busN: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    rounds.baseline.push(tight((i) => engineDecision(pick(i))));
    rounds.local1.push(await sequential((i) => useCaseLocal.authorize(pick(i))));
    rounds.localN.push(await concurrent((i) => useCaseLocal.authorize(pick(i))));
    rounds.remote1.push(await sequential((i) => useCaseRemote.authorize(pick(i))));
    rounds.remoteN.push(await concurrent((i) => useCaseRemote.authorize(pick(i))));
    rounds.bus1.push(await sequential((i) => bus.send(P.Authorize, pick(i))));
    rounds.busN.push(await concurrent((i) => bus.send(P.Authorize, pick(i))));
  }
  const medianFigures = (list: Figures[]) => [...list].sort((x, y) => x.perSecond - y.perSecond)[Math.floor(list.length / 2)];
  const median = (list: number[]) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)];
  const baseline = medianFigures(rounds.baseline);
  const local1 = medianFigures(rounds.local1);
  const localN = median(rounds.localN);
  const remote1 = medianFigures(rounds.remote1);
  const remoteN = median(rounds.remoteN);
  const bus1 = medianFigures(rounds.bus1);
  const busN = median(rounds.busN);
  return {
    statements: set.compiled.reduce((n, p) => n + p.statements.length, 0),
    kinds: [...new Set(kinds)].sort(),
    requests: requests.length,
    baseline,
    local1,
    localN,
    remote1,
    remoteN,
    bus1,
    busN,
  };
}

// ── (b) who can ─────────────────────────────────────────────────────────────

const USERS = 5000;
const GROUPS = 300;
const POOL = 150;

/**
 * The `i`th policy of the pool: reads of one bucket, broad S3 with a condition, denies of secret
 * prefixes, and unrelated services.
 */
function poolPolicy(i: number): { name: string; document: string } {
  const bucket = `bucket-${Math.floor(i / 5) % 10}`;
  const kind = i % 5;
  const document =
    kind === 0
      ? doc({ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] })
      : kind === 1
        ? doc({ Sid: 'Office', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })
        : kind === 2
          ? doc({ Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/secret/*` })
          : kind === 3
            ? doc({ Sid: 'Ec2', Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }, { Sid: 'Logs', Effect: 'Allow', Action: 'logs:*', Resource: '*' })
            : doc({ Sid: 'Home', Effect: 'Allow', Action: 's3:*', Resource: `arn:aws:s3:::home/\${aws:username}/*` });
  return { name: `pool-${String(i).padStart(5, '0')}`, document };
}

async function whoCanBench(bus: BusClient, local: INestApplicationContext, identity: FakeIdentity, directory: FakeDirectory) {
  const rand = random(42);
  const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)];
  const users = Array.from({ length: USERS }, (_, u) => identity.create(`user-${String(u).padStart(4, '0')}`, u % 7 === 0 ? '/contractors/' : '/staff/'));
  const groups = Array.from({ length: GROUPS }, (_, g) => directory.create(`team-${String(g).padStart(3, '0')}`));
  for (const user of users) {
    const count = 1 + Math.floor(rand() * 5);
    for (let k = 0; k < count; k++) directory.add(user.UserId, pick(groups).GroupId);
  }

  // A pool of managed policies of several kinds: reads of one bucket, broad S3 with a condition,
  // denies of secret prefixes, and unrelated services.
  const pool = Array.from({ length: POOL }, (_, i) => poolPolicy(i));
  const arns: string[] = [];
  await inBatches(pool, 10, async (p) => {
    const { Policy } = await bus.send(P.CreatePolicy, { PolicyName: p.name, PolicyDocument: p.document });
    arns.push(Policy.Arn);
  });
  arns.sort();
  const groupAttachments = groups.flatMap((group) => [...new Set(Array.from({ length: 5 }, () => pick(arns)))].map((arn) => ({ GroupName: group.GroupName, PolicyArn: arn })));
  const directUsers = users.filter((_, u) => u % 10 === 0);
  const userAttachments = directUsers.flatMap((user) => [...new Set([pick(arns), pick(arns)])].map((arn) => ({ UserName: user.UserName, PolicyArn: arn })));
  await inBatches(groupAttachments, 20, (a) => bus.send(P.AttachGroupPolicy, a));
  await inBatches(userAttachments, 20, (a) => bus.send(P.AttachUserPolicy, a));
  await inBatches(groups, 20, (group) =>
    bus.send(P.PutGroupPolicy, {
      GroupName: group.GroupName,
      PolicyName: 'TeamBucket',
      PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${group.GroupName}/*` }),
    }),
  );
  const inlineUsers = users.filter((_, u) => u % 25 === 3);
  await inBatches(inlineUsers, 20, (user) =>
    bus.send(P.PutUserPolicy, { UserName: user.UserName, PolicyName: 'Scratch', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::bucket-3/scratch/*' }) }),
  );

  const query = { ActionName: 's3:GetObject', ResourceArn: 'arn:aws:s3:::bucket-3/secret/plan.txt' };
  const access = local.get(AccessService);
  const policySets = local.get(PolicySets);

  // The baseline: the engine's analysis on the same compiled policies and memberships, in memory.
  const each = await policySets.loadEach();
  const membersOf = new Map<string, string[]>();
  for (const [userId, groupIds] of directory.memberships) for (const id of groupIds) membersOf.set(id, [...(membersOf.get(id) ?? []), userId]);
  const engineWhoCan = () => {
    const cache = new Map<CompiledPolicy, PolicyAccess>();
    const analyse = (p: CompiledPolicy) => {
      let a = cache.get(p);
      if (!a) cache.set(p, (a = analyzeAccess(p, { action: query.ActionName, resource: query.ResourceArn })));
      return a;
    };
    const parts = new Map<string, PolicyAccess[]>();
    for (const { holder, policies } of each) {
      const bearing = policies.map((p) => analyse(p.document.policy)).filter((a) => a.allows.length > 0 || a.denies.length > 0);
      if (bearing.length === 0) continue;
      for (const userId of holder.type === 'user' ? [holder.id] : (membersOf.get(holder.id) ?? [])) parts.set(userId, [...(parts.get(userId) ?? []), ...bearing]);
    }
    const verdicts = new Map<string, string>();
    for (const [userId, list] of parts) {
      const { verdict } = combineAccess(list);
      if (verdict !== 'notAllowed') verdicts.set(userId, verdict);
    }
    return verdicts;
  };

  // Check: the service's verdicts are the engine's.
  const expected = engineWhoCan();
  const walk = async (send: (marker?: string) => Promise<WhoCanReply>) => {
    const seen = new Map<string, string>();
    let marker: string | undefined;
    let pages = 0;
    do {
      const reply = await send(marker);
      pages++;
      for (const p of reply.Principals) seen.set(p.UserId, p.Verdict);
      marker = reply.IsTruncated ? reply.Marker : undefined;
    } while (marker);
    return { seen, pages };
  };
  for (const [label, send] of [
    ['use case', (marker?: string) => access.whoCan({ ...query, MaxItems: 1000, Marker: marker })],
    ['bus', (marker?: string) => bus.send(P.WhoCan, { ...query, MaxItems: 1000, Marker: marker }, { timeoutMs: 30_000 })],
  ] as const) {
    const { seen } = await walk(send);
    if (seen.size !== expected.size || [...expected].some(([id, verdict]) => seen.get(id) !== verdict)) {
      fail(`${label}: who-can gave ${seen.size} users, the engine ${expected.size}, or a different verdict`);
    }
  }
  const counts = (await access.whoCan({ ...query, MaxItems: 1 })).Counts;

  const baseline = await timed(15, engineWhoCan);
  const firstPage = await timed(15, () => access.whoCan({ ...query, MaxItems: 1000 }));
  const allPages = await timed(5, () => walk((marker) => access.whoCan({ ...query, MaxItems: 1000, Marker: marker })));
  const busFirst = await timed(15, () => bus.send(P.WhoCan, { ...query, MaxItems: 1000 }, { timeoutMs: 30_000 }));
  const busAll = await timed(5, () => walk((marker) => bus.send(P.WhoCan, { ...query, MaxItems: 1000, Marker: marker }, { timeoutMs: 30_000 })));
  const { pages } = await walk((marker) => bus.send(P.WhoCan, { ...query, MaxItems: 1000, Marker: marker }, { timeoutMs: 30_000 }));
  return {
    query,
    memberships: [...directory.memberships.values()].reduce((n, g) => n + g.length, 0),
    attachments: groupAttachments.length + userAttachments.length,
    inline: groups.length + inlineUsers.length,
    counts,
    baseline,
    firstPage,
    allPages,
    busFirst,
    busAll,
    pages,
  };
}

// ── (b) who can at scale: the same layout at two sizes ─────────────────────

/** The account sizes compared (`BENCH_WHO_CAN_SCALES`, comma-separated, smallest first). */
const SCALES = (process.env['BENCH_WHO_CAN_SCALES'] ?? '1000,100000').split(',').map(Number);
/** Users per who-can page at scale (the console's page). */
const SCALE_PAGE = 100;
/** The later page measured: the page after this many. */
const LATER_PAGE = 5;
/** Pages of 1,000 users checked at the larger sizes (every page at the smallest). */
const CHECKED_PAGES = 10;
/** Runs of each path per round and size. */
const SCALE_RUNS = 3;

interface ScaleAccount {
  users: number;
  groups: number;
  memberships: number;
  policies: number;
  attachments: number;
  inline: number;
  seedMs: number;
  access: AccessService;
  policySets: PolicySets;
  directoryOverBus: DirectoryGroups;
  bus: BusClient;
  close(): Promise<void>;
}

const children: ChildProcess[] = [];

/**
 * An account of `users` users laid out as the 5,000-user account of (b) (groups, memberships,
 * policies and attachments in proportion), with the identity app as its own process on its own
 * database and directory in memory. Users, attachments and inline policies are written with bulk
 * SQL; managed policies through the service.
 */
async function scaleAccount(users: number): Promise<ScaleAccount> {
  const started = performance.now();
  const rand = random(7);
  const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)];
  const transport = isolatedNatsTransport();
  const prefix = transport.kind === 'nats' ? (transport.prefix ?? '') : '';
  const identityDb = await createTestDatabase();
  const child = spawn(process.execPath, [join(__dirname, 'identity.js')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: identityDb.url, NATS_URL: TEST_NATS_URL, IAM_BUS_SUBJECT_PREFIX: prefix, IAM_ACCOUNT_ID: ACCOUNT, IAM_DB_POOL_SIZE: '10', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const bus = await testBusClient(transport, 30_000);
  for (let attempt = 0; ; attempt++) {
    try {
      await bus.send(IdentityPatterns.UnknownUsers, { UserIds: [] }, { timeoutMs: 1000 });
      break;
    } catch (error) {
      if (attempt > 120 || child.exitCode !== null) fail(`identity did not start: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  // Names in an order unrelated to ids, some capitalised.
  const identitySql = new Client({ connectionString: identityDb.url });
  await identitySql.connect();
  await identitySql.query(
    `INSERT INTO identity.users (user_id, name, name_lower, path, create_date, tags, state)
     SELECT id, name, lower(name), CASE WHEN n % 7 = 0 THEN '/contractors/' ELSE '/staff/' END, now(), '[]'::jsonb, 'active'
       FROM (SELECT n, 'AIDA' || lpad(n::text, 17, '0') AS id,
                    CASE WHEN n % 3 = 0 THEN 'U' ELSE 'u' END || substr(md5(n::text), 1, 10) || '-' || n AS name
               FROM generate_series(0, $1::int - 1) AS n) AS u`,
    [users],
  );
  await identitySql.query('ANALYZE identity.users');
  await identitySql.end();
  const userIds = Array.from({ length: users }, (_, n) => `AIDA${String(n).padStart(17, '0')}`);

  const directory = new FakeDirectory();
  const groups = Array.from({ length: Math.round((users * GROUPS) / USERS) }, (_, g) => directory.create(`team-${String(g).padStart(5, '0')}`));
  for (const userId of userIds) {
    const count = 1 + Math.floor(rand() * 5);
    for (let k = 0; k < count; k++) directory.add(userId, pick(groups).GroupId);
  }
  const stub = await startStubService(transport, 'directory', directory.handlers());

  const authDb = await createTestDatabase();
  const env = AuthorizationEnv.parse({ DATABASE_URL: authDb.url, IAM_ACCOUNT_ID: ACCOUNT, IAM_DB_POOL_SIZE: '10', IAM_BUS_TIMEOUT_MS: '30000' });
  const options = authorizationOptions(env, transport);
  const service = await startService({ name: 'authorization', module: AuthorizationServiceModule.register(options), transport, logger: silentLogger('authorization') });
  const local = await NestFactory.createApplicationContext(AuthorizationServiceModule.register(options, { directory: memoryDirectory(directory) }), { logger: false });

  const pool = Array.from({ length: Math.round((users * POOL) / USERS) }, (_, i) => poolPolicy(i));
  const policyIds: string[] = [];
  await inBatches(pool, 20, async (p) => {
    const { Policy } = await bus.send(P.CreatePolicy, { PolicyName: p.name, PolicyDocument: p.document });
    policyIds.push(Policy.PolicyId);
  });
  policyIds.sort();
  const attachments: [string, string, string][] = [];
  for (const group of groups) for (const id of new Set(Array.from({ length: 5 }, () => pick(policyIds)))) attachments.push([group.GroupId, 'group', id]);
  for (let n = 0; n < users; n += 10) for (const id of new Set([pick(policyIds), pick(policyIds)])) attachments.push([userIds[n], 'user', id]);
  const inline: [string, string, string, string][] = groups.map((group) => [
    group.GroupId,
    'group',
    'TeamBucket',
    doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${group.GroupName}/*` }),
  ]);
  for (let n = 3; n < users; n += 25) inline.push([userIds[n], 'user', 'Scratch', doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::bucket-3/scratch/*' })]);
  const authSql = new Client({ connectionString: authDb.url });
  await authSql.connect();
  await authSql.query(
    `INSERT INTO "authorization".attachments (principal_id, principal_type, policy_id, attach_date)
     SELECT principal, kind, policy, now() FROM unnest($1::text[], $2::text[], $3::text[]) AS a(principal, kind, policy)`,
    [attachments.map((a) => a[0]), attachments.map((a) => a[1]), attachments.map((a) => a[2])],
  );
  await authSql.query(
    `INSERT INTO "authorization".inline_policies (principal_id, principal_type, name, name_lower, document, content_hash, size, create_date, update_date)
     SELECT principal, kind, name, lower(name), document, hash, size, now(), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS i(principal, kind, name, document, hash, size)`,
    [inline.map((i) => i[0]), inline.map((i) => i[1]), inline.map((i) => i[2]), inline.map((i) => i[3]), inline.map((i) => contentHash(i[3])), inline.map((i) => policyDocumentSize(i[3]))],
  );
  await authSql.query('ANALYZE');
  await authSql.end();

  return {
    users,
    groups: groups.length,
    memberships: [...directory.memberships.values()].reduce((n, g) => n + g.length, 0),
    policies: pool.length,
    attachments: attachments.length,
    inline: inline.length,
    seedMs: performance.now() - started,
    access: local.get(AccessService),
    policySets: local.get(PolicySets),
    directoryOverBus: service.get(DirectoryGroups),
    bus,
    close: async () => {
      await bus.close();
      await local.close();
      await service.close();
      await stub.close();
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      await authDb.drop();
      await identityDb.drop();
    },
  };
}

interface ScaleFigures {
  account: Omit<ScaleAccount, 'access' | 'policySets' | 'directoryOverBus' | 'bus' | 'close'>;
  counts: WhoCanReply['Counts'];
  pages: number;
  loadEach: number;
  loadBearing: number;
  members: number | string;
  first: number;
  firstMax: number;
  later: number;
  busFirst: number | string;
  filtered: number;
  /** The load average when the measuring began. */
  load: number;
}

async function whoCanAtScale(): Promise<ScaleFigures[]> {
  const query = { ActionName: 's3:GetObject', ResourceArn: 'arn:aws:s3:::bucket-3/secret/plan.txt' };
  const accounts: ScaleAccount[] = [];
  try {
    for (const users of SCALES) {
      process.stdout.write(`    ${fmt(users)} users…\n`);
      accounts.push(await scaleAccount(users));
    }
    const prepared = [];
    for (const [index, account] of accounts.entries()) {
      // Check: every page in order, no user twice, as many users as the counts say (the larger
      // sizes: the first CHECKED_PAGES pages, in order and no user twice).
      let marker: string | undefined;
      let last: [string, string] | undefined;
      const seen = new Set<string>();
      let pages = 0;
      let laterMarker: string | undefined;
      let counts: WhoCanReply['Counts'] | undefined;
      do {
        const reply = await account.access.whoCan({ ...query, MaxItems: 1000, Marker: marker });
        counts = reply.Counts;
        pages++;
        for (const principal of reply.Principals) {
          const key: [string, string] = [principal.UserName.toLowerCase(), principal.UserId];
          if (last && !(key[0] > last[0] || (key[0] === last[0] && key[1] > last[1]))) fail(`${account.users} users: ${principal.UserName} out of order`);
          if (seen.has(principal.UserId)) fail(`${account.users} users: ${principal.UserName} twice`);
          seen.add(principal.UserId);
          last = key;
        }
        marker = reply.IsTruncated ? reply.Marker : undefined;
      } while (marker && (index === 0 || pages < CHECKED_PAGES));
      for (let page = 0; page < LATER_PAGE; page++) laterMarker = (await account.access.whoCan({ ...query, MaxItems: SCALE_PAGE, Marker: laterMarker })).Marker;
      const total = counts.Allowed + counts.Denied + counts.Conditional;
      if (index === 0 && seen.size !== total) fail(`${account.users} users: ${seen.size} users listed, the counts say ${total}`);
      if (!laterMarker) fail(`${account.users} users: fewer than ${LATER_PAGE + 1} pages`);
      prepared.push({ account, counts, pages, laterMarker });
    }
    const load = os.loadavg()[0];
    // Rounds interleaved across the sizes; the median of every run of a size is reported.
    const samples = prepared.map(() => ({ loadEach: [] as number[], loadBearing: [] as number[], first: [] as number[], later: [] as number[], filtered: [] as number[] }));
    const bears = (document: CompiledDocument) => {
      const access = analyzeAccess(document.policy, { action: query.ActionName, resource: query.ResourceArn });
      return access.allows.length > 0 || access.denies.length > 0;
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, { account, laterMarker }] of prepared.entries()) {
        const time = async (list: number[], op: () => Promise<unknown>) => {
          for (let r = 0; r < SCALE_RUNS; r++) {
            const t0 = performance.now();
            await op();
            list.push(performance.now() - t0);
          }
        };
        await time(samples[i].loadEach, () => account.policySets.loadEach());
        await time(samples[i].loadBearing, () => account.policySets.loadBearing(bears));
        await time(samples[i].first, () => account.access.whoCan({ ...query, MaxItems: SCALE_PAGE }));
        await time(samples[i].later, () => account.access.whoCan({ ...query, MaxItems: SCALE_PAGE, Marker: laterMarker }));
        await time(samples[i].filtered, () => account.access.whoCan({ ...query, MaxItems: SCALE_PAGE, Verdicts: ['allowed'] }));
      }
    }
    const median = (list: number[]) => quantile([...list].sort((x, y) => x - y), 0.5);
    const out: ScaleFigures[] = [];
    for (const [i, { account, counts, pages }] of prepared.entries()) {
      const groupIds = [...Array(account.groups).keys()].map((g) => `AGPA${String(g + 1).padStart(17, '0')}`);
      let members: number | string;
      try {
        members = (await timed(SCALE_RUNS, () => account.directoryOverBus.membersOfGroups(groupIds))).median;
      } catch (error) {
        members = `fails: ${(error as Error).message.split('\n')[0]}`;
      }
      let busFirst: number | string;
      try {
        busFirst = (await timed(SCALE_RUNS, () => account.bus.send(P.WhoCan, { ...query, MaxItems: SCALE_PAGE }, { timeoutMs: 30_000 }))).median;
      } catch (error) {
        busFirst = `fails: ${(error as Error).message.split('\n')[0]}`;
      }
      const { access: _a, policySets: _p, directoryOverBus: _d, bus: _b, close: _c, ...shape } = account;
      const sorted = [...samples[i].first].sort((x, y) => x - y);
      out.push({
        account: shape,
        counts,
        pages,
        loadEach: median(samples[i].loadEach),
        loadBearing: median(samples[i].loadBearing),
        members,
        first: median(samples[i].first),
        firstMax: sorted[sorted.length - 1],
        later: median(samples[i].later),
        busFirst,
        filtered: median(samples[i].filtered),
        load,
      });
    }
    return out;
  } finally {
    for (const account of accounts) await account.close();
  }
}

// ── report ──────────────────────────────────────────────────────────────────

function scaleSection(scales: ScaleFigures[]): string {
  const loadAtScale = scales[0].load;
  const ms = (x: number | string) => (typeof x === 'number' ? fmt(x, 2) : x);
  const [small, large] = [scales[0], scales[scales.length - 1]];
  const ratio = (pick: (f: ScaleFigures) => number | string) => {
    const [x, y] = [pick(small), pick(large)];
    return typeof x === 'number' && typeof y === 'number' ? `${fmt(y / x, 2)}×` : '';
  };
  const row = (label: string, pick: (f: ScaleFigures) => number | string, withRatio = true) =>
    `| ${label} | ${scales.map((f) => (typeof pick(f) === 'number' && !withRatio ? fmt(pick(f) as number) : ms(pick(f)))).join(' | ')} | ${withRatio ? ratio(pick) : ''} |`;
  const matching = (f: ScaleFigures) => f.counts.Allowed + f.counts.Denied + f.counts.Conditional;
  const met = large.first / small.first <= 1.5 && large.first <= 100;
  return `### (b) Who can at scale: ${scales.map((f) => fmt(f.account.users)).join(' and ')} users

The layout of the 5,000-user account above in proportion (users per group, groups, policies, attachments and inline policies
per user), the same query; the identity app as its own process on its own database (users written with bulk SQL), directory
in memory (the use case) or over NATS (the bus path). Pages of ${SCALE_PAGE} users; "later page" is page ${LATER_PAGE + 1}. Medians of
${ROUNDS * SCALE_RUNS} runs, ${ROUNDS} rounds of ${SCALE_RUNS} interleaved across the sizes (the bus path and \`membersOfGroups\`: ${SCALE_RUNS} runs after the
rounds). Before measuring, the run walks the pages of each size (pages of 1,000 users; at ${fmt(SCALES[0])} users every page, with as many
users as the counts; at the larger sizes the first ${CHECKED_PAGES}) and checks that they are in order and hold no user twice.

| | ${scales.map((f) => `${fmt(f.account.users)} users`).join(' | ')} | ratio |
| --- | ${scales.map(() => '---: | ').join('')}---: |
${row('groups, memberships', (f) => `${fmt(f.account.groups)}, ${fmt(f.account.memberships)}`, false)}
${row('managed policies, attachments, inline policies', (f) => `${fmt(f.account.policies)}, ${fmt(f.account.attachments)}, ${fmt(f.account.inline)}`, false)}
${row('users with a verdict (allowed, denied, conditional)', (f) => `${fmt(matching(f))} (${fmt(f.counts.Allowed)}, ${fmt(f.counts.Denied)}, ${fmt(f.counts.Conditional)})`, false)}
${row('every holder\'s policies (`PolicySets.loadEach`, what who-can read before), ms', (f) => f.loadEach)}
${row('the holders of the documents that bear on the query, with the analysis (`PolicySets.loadBearing`), ms', (f) => f.loadBearing)}
${row('members of every group from directory over NATS (`membersOfGroups`), ms', (f) => f.members)}
${row('**who-can first page, use case, ms**', (f) => f.first)}
${row('who-can later page, ms', (f) => f.later)}
${row('who-can first page of `allowed` only, ms', (f) => f.filtered)}
${row('`WhoCan` first page through the bus (directory over NATS), ms', (f) => f.busFirst)}

Target: the first page at ${fmt(large.account.users)} users at most 1.5× the one at ${fmt(small.account.users)} and at most 100 ms:
${met ? 'met' : 'not met'} (${fmt(large.first / small.first, 2)}×, ${fmt(large.first, 2)} ms; slowest run ${fmt(large.firstMax, 2)} ms). Seeding took
${scales.map((f) => `${fmt(f.account.seedMs / 1000, 1)} s`).join(' and ')}; load average ${loadAtScale.toFixed(1)} when the measuring began.

The page itself is read from identity in name order (a walk, or by id for few users) and resolves only its own users, so
it no longer grows with the users. What still grows is the work before it, on every page: the holders of the policies that
bear on the query (each document in use judged once, then their attachments and inline policies read), the members of
every group that bears on the query, a verdict per member, and which of those ids identity knows (for exact counts; one
anti-join per 5,000 ids). These are proportional to holders and memberships on every request; paging cannot remove them,
only state kept between requests (who holds which policy, maintained as policies and memberships change) could.
`;
}

function section(a: Awaited<ReturnType<typeof decisionBench>>, b: Awaited<ReturnType<typeof whoCanBench>>, scales: ScaleFigures[]): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const ratio = (x: number) => `${fmt(a.baseline.perSecond / x, 0)}×`;
  const ms = (x: number) => fmt(x, 2);
  const row = (label: string, one: Figures, many: number) =>
    `| ${label} | ${fmt(one.perSecond)} | ${fmt(many)} | ${ms(one.p50)} | ${ms(one.p99)} | ${ratio(one.perSecond)} |`;
  return `## Authorization service

Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} with \`${COMMAND}\` (script: \`libs/authorization-service/bench/bench.ts\`).
Node ${process.version} on ${os.platform()}/${os.arch()}, ${cpu}, ${os.cpus().length} cores (load average ${LOAD_AT_START.toFixed(1)} when
the run began); PostgreSQL and NATS on the same machine (database pool of 10). Before measuring, the run
checks every decision of the service against the engine's and every who-can verdict against the in-memory
analysis.

### (a) A decision for a user in 10 groups with 10 managed policies each

${a.statements} statements in 100 policies; ${a.requests} requests (${a.kinds.join(', ')}), each with a context of five keys.
The baseline is the engine alone (\`createRequestContext\` + \`evaluate\`) on the very compiled policies the service loads;
"× engine" is how many times slower than that a decision is. "1 in flight": calls one after the other (latency per call);
"${CONCURRENCY} in flight": concurrent callers. Each figure is the median of ${ROUNDS} rounds of ${ROUND_MS} ms, the rounds of
the paths interleaved, after a warm-up.

| Path | Decisions/s, 1 in flight | Decisions/s, ${CONCURRENCY} in flight | p50 ms | p99 ms | × engine |
| --- | ---: | ---: | ---: | ---: | ---: |
| Engine \`evaluate\` on the compiled policies (baseline) | ${fmt(a.baseline.perSecond)} | | ${fmt(a.baseline.p50 * 1000, 1)} µs | ${fmt(a.baseline.p99 * 1000, 1)} µs | 1× |
${row('Decision use case, real database, directory in memory', a.local1, a.localN)}
${row('Decision use case, real database, directory over NATS', a.remote1, a.remoteN)}
${row('`Authorize` through the bus (NATS → service → directory, database)', a.bus1, a.busN)}

Every decision reads the user's groups (directory) and which policies apply (one indexed query) afresh; compiled
policies come from the content-keyed cache, so the cost over the engine is the database query and, on the full path, two
NATS round trips.

### (b) Who can: 5,000 users, 300 groups

${USERS} users in ${GROUPS} groups (${b.memberships} memberships); 150 managed policies, ${b.attachments} attachments, ${b.inline} inline
policies. Query: \`${b.query.ActionName}\` on \`${b.query.ResourceArn}\` without context: ${b.counts.Allowed} users allowed, ${b.counts.Denied}
denied, ${b.counts.Conditional} conditional. Medians of 15 runs (all pages: 5 runs); pages of 1,000 users (${b.pages} pages).

| Path | First page, ms | All pages, ms |
| --- | ---: | ---: |
| Engine analysis in memory (analyse each distinct policy once, combine per user; baseline) | ${ms(b.baseline.median)} | |
| Who-can use case, real database, identity and directory in memory | ${ms(b.firstPage.median)} | ${ms(b.allPages.median)} |
| \`WhoCan\` through the bus (identity and directory over NATS) | ${ms(b.busFirst.median)} | ${ms(b.busAll.median)} |

The use case is ${fmt(b.firstPage.median / b.baseline.median, 1)}× the in-memory analysis for a page; through the bus a page takes
${ms(b.busFirst.median)} ms (slowest of the runs: ${ms(b.busFirst.max)} ms).

${scaleSection(scales)}`;
}

function writeSection(text: string): void {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const current = readFileSync(file, 'utf8');
  const start = current.indexOf('## Authorization service');
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${text}`;
  } else {
    const after = current.indexOf('\n## ', start + 1);
    next = current.slice(0, start) + text + (after === -1 ? '' : `\n${current.slice(after + 1)}`);
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

async function main(): Promise<void> {
  if (process.env['BENCH_WHO_CAN_SCALE_ONLY'] === '1') {
    // Only the scale measurement, printed; docs/benchmarks.md is left alone.
    process.stdout.write('(b) who can at scale…\n');
    process.stdout.write(`\n${scaleSection(await whoCanAtScale())}`);
    return;
  }
  const database = await createTestDatabase();
  const transport = isolatedNatsTransport();
  const identity = new FakeIdentity();
  const directory = new FakeDirectory();
  const stubs = [await startStubService(transport, 'identity', identity.handlers()), await startStubService(transport, 'directory', directory.handlers())];
  const env = AuthorizationEnv.parse({ DATABASE_URL: database.url, IAM_ACCOUNT_ID: ACCOUNT, IAM_DB_POOL_SIZE: '10', IAM_BUS_TIMEOUT_MS: '30000' });
  const options = authorizationOptions(env, transport);
  const service = await startService({ name: 'authorization', module: AuthorizationServiceModule.register(options), transport, logger: silentLogger('authorization') });
  const local = await NestFactory.createApplicationContext(AuthorizationServiceModule.register(options, { identity: memoryIdentity(identity), directory: memoryDirectory(directory) }), { logger: false });
  const bus = await testBusClient(transport, 30_000);
  try {
    process.stdout.write('(a) decisions…\n');
    const a = await decisionBench(bus, local, service, identity, directory);
    process.stdout.write('(b) who can…\n');
    const b = await whoCanBench(bus, local, identity, directory);
    process.stdout.write('(b) who can at scale…\n');
    const scales = await whoCanAtScale();
    const text = section(a, b, scales);
    writeSection(text);
    process.stdout.write(`\n${text}`);
  } finally {
    await bus.close();
    await local.close();
    await service.close();
    for (const stub of stubs) await stub.close();
    await database.drop();
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    for (const child of children) child.kill('SIGTERM');
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
