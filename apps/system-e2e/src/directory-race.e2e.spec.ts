import { INestMicroservice } from '@nestjs/common';
import { AuthorizationEnv, authorizationOptions, AuthorizationServiceModule } from '@iam/authorization-service';
import { AuthorizationPatterns, BusClient, DirectoryPatterns as D, IamError, IdentityPatterns as I } from '@iam/contracts';
import { DirectoryEnv, directoryOptions, DirectoryServiceModule } from '@iam/directory-service';
import { IdentityEnv, identityOptions, IdentityServiceModule } from '@iam/identity-service';
import { startService } from '@iam/platform';
import { createTestDatabase, describeWithServices, isolatedNatsTransport, memoryLogger, startStubService, testBusClient, TestDatabase } from '@iam/testing';
import { Client } from 'pg';

jest.setTimeout(300_000);

/** A small seeded generator, so a failing run can be replayed with its seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Kind = 'add' | 'remove' | 'delete';

/** One call as the client saw it; `start`/`end` are positions on the client's own clock (a counter). */
interface Call {
  kind: Kind;
  user: string;
  group?: string;
  start: number;
  end: number;
  ok: boolean;
  code?: string;
}

/** Errors after which the call certainly changed nothing (anything else, a timeout say, may have). */
const DEFINITE_REFUSALS: Record<Kind, string[]> = {
  add: ['NoSuchEntity', 'LimitExceeded', 'EntityTemporarilyUnmodifiable'],
  remove: ['NoSuchEntity'],
  delete: ['NoSuchEntity', 'DeleteConflict'],
};

const ROUNDS = 200;
const ROUNDS_AT_ONCE = 4;
const GROUPS = ['Race-A', 'Race-B', 'Race-C', 'Race-D', 'Race-E', 'Race-F'];
const SEED = Number(process.env['IAM_RACE_SEED'] ?? 20_240_611);

/**
 * The cross-service protocol under races: the real identity, directory and
 * authorization services in this process, on a real NATS (own subject
 * prefix) and a real PostgreSQL (own database). Every round creates a user
 * and fires adds, removes and a DeleteUser of that user at once, with small
 * seeded delays; four rounds run at a time. Afterwards no user that identity
 * deleted may keep a membership (and the directory's safety net on
 * `identity.user.deleted` must never have found one to drop), and every
 * acknowledged add of a user that still exists, not possibly undone by a
 * remove, must be there.
 */
describeWithServices('directory race: AddUserToGroup, RemoveUserFromGroup and DeleteUser on NATS and PostgreSQL', () => {
  let database: TestDatabase;
  let sql: Client;
  let bus: BusClient & { close(): Promise<void> };
  const services: INestMicroservice[] = [];
  const stubs: Array<{ close(): Promise<void> }> = [];
  const logs = { identity: memoryLogger('identity'), directory: memoryLogger('directory'), authorization: memoryLogger('authorization') };

  beforeAll(async () => {
    database = await createTestDatabase();
    const transport = isolatedNatsTransport();
    const env = {
      DATABASE_URL: database.url,
      IAM_ACCOUNT_ID: '123456789012',
      IAM_DB_POOL_SIZE: '4',
      IAM_BUS_TIMEOUT_MS: '15000',
    };
    services.push(
      await startService({
        name: 'identity',
        module: IdentityServiceModule.register(identityOptions(IdentityEnv.parse(env), transport)),
        transport,
        logger: logs.identity.logger,
      }),
      await startService({
        name: 'authorization',
        module: AuthorizationServiceModule.register(authorizationOptions(AuthorizationEnv.parse(env), transport)),
        transport,
        logger: logs.authorization.logger,
      }),
      await startService({
        name: 'directory',
        module: DirectoryServiceModule.register(directoryOptions(DirectoryEnv.parse(env), transport)),
        transport,
        logger: logs.directory.logger,
      }),
    );
    bus = await testBusClient(transport, 20_000);
    // Authorization's side of deleting a principal: the real one when the
    // authorization service answers it, otherwise a stand-in with no policies.
    const answered = await bus.send(AuthorizationPatterns.CancelPrincipalDelete, { PrincipalType: 'user', PrincipalId: 'AIDAPROBE' }, { timeoutMs: 3_000 }).then(
      () => true,
      (error: IamError) => error.code !== 'ServiceUnavailable',
    );
    if (!answered) {
      stubs.push(
        await startStubService(transport, 'authorization', {
          [AuthorizationPatterns.BeginPrincipalDelete]: () => ({ AttachedPolicyCount: 0, InlinePolicyCount: 0 }),
          [AuthorizationPatterns.CancelPrincipalDelete]: () => ({}),
        }),
      );
    }
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await bus?.close();
    for (const service of services.reverse()) await service.close();
    for (const stub of stubs) await stub.close();
    await sql?.end();
    await database?.drop();
  });

  it(`keeps memberships consistent with users across ${ROUNDS} interleavings`, async () => {
    const random = generator(SEED);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    let clock = 0;
    const calls: Call[] = [];

    const call = async (kind: Kind, user: string, group: string | undefined, delayMs: number, send: () => Promise<unknown>) => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const entry: Call = { kind, user, group, start: ++clock, end: 0, ok: false };
      try {
        await send();
        entry.ok = true;
      } catch (error) {
        entry.code = error instanceof IamError ? error.code : 'unknown';
      }
      entry.end = ++clock;
      calls.push(entry);
    };
    const add = (user: string, group: string, delayMs = 0) =>
      call('add', user, group, delayMs, () => bus.send(D.AddUserToGroup, { GroupName: group, UserName: user }));
    const remove = (user: string, group: string, delayMs = 0) =>
      call('remove', user, group, delayMs, () => bus.send(D.RemoveUserFromGroup, { GroupName: group, UserName: user }));
    const deleteUser = (user: string, delayMs = 0) => call('delete', user, undefined, delayMs, () => bus.send(I.DeleteUser, { UserName: user }));

    for (const GroupName of GROUPS) await bus.send(D.CreateGroup, { GroupName });

    // Each round's plan is drawn before anything runs, so the mix does not depend on timing.
    const plans = Array.from({ length: ROUNDS }, (_, round) => ({
      user: `racer-${round}`,
      before: random() < 0.5 ? [pick(GROUPS)] : [],
      adds: Array.from({ length: Math.floor(random() * 4) }, () => ({ group: pick(GROUPS), delay: Math.floor(random() * 5) })),
      removes: Array.from({ length: Math.floor(random() * 3) }, () => ({ group: pick(GROUPS), delay: Math.floor(random() * 5) })),
      deleteDelay: Math.floor(random() * 5),
    }));

    const runRound = async (plan: (typeof plans)[number]) => {
      await bus.send(I.CreateUser, { UserName: plan.user });
      for (const group of plan.before) await add(plan.user, group);
      await Promise.all([
        ...plan.adds.map(({ group, delay }) => add(plan.user, group, delay)),
        ...plan.removes.map(({ group, delay }) => remove(plan.user, group, delay)),
        deleteUser(plan.user, plan.deleteDelay),
      ]);
    };
    for (let i = 0; i < plans.length; i += ROUNDS_AT_ONCE) {
      await Promise.all(plans.slice(i, i + ROUNDS_AT_ONCE).map(runRound));
    }

    // Calls either succeeded or were refused for a reason the protocol gives.
    const unexpected = calls.filter((c) => !c.ok && !DEFINITE_REFUSALS[c.kind].includes(c.code ?? ''));
    expect(unexpected).toEqual([]);

    // Who still exists, as identity answers now.
    const exists = new Map<string, string>();
    for (const plan of plans) {
      const user = await bus.send(I.ResolveUser, { UserName: plan.user }).catch((error: IamError) => {
        if (error.code === 'NoSuchEntity') return undefined;
        throw error;
      });
      if (user) {
        expect(user.State).toBe('active');
        exists.set(plan.user, user.UserId);
      }
    }
    const deleted = calls.filter((c) => c.kind === 'delete' && c.ok);
    expect(deleted.length).toBe(plans.length - exists.size);
    // Both outcomes occur by construction (rounds with no add and no earlier
    // member always delete; rounds with an earlier member and no remove never do).
    expect(deleted.length).toBeGreaterThan(0);
    expect(exists.size).toBeGreaterThan(0);

    // 1. No membership of a user that identity no longer has.
    const orphans = await sql.query(
      `SELECT m.user_id, m.group_id FROM directory.memberships m
        WHERE NOT EXISTS (SELECT 1 FROM identity.users u WHERE u.user_id = m.user_id)`,
    );
    expect(orphans.rows).toEqual([]);
    // ... and not because the safety net cleaned up: once directory has handled
    // every identity.user.deleted, it must never have found a membership to drop.
    const handledDeletes = () =>
      logs.directory.lines.filter((line) => {
        const entry = JSON.parse(line) as { msg?: string; subject?: string };
        return entry.msg === 'handled' && entry.subject?.endsWith('.identity.user.deleted');
      }).length;
    while (handledDeletes() < deleted.length) await new Promise((resolve) => setTimeout(resolve, 20));
    const allLines = [...logs.identity.lines, ...logs.directory.lines, ...logs.authorization.lines];
    expect(allLines.filter((line) => line.includes('membership(s) of deleted user'))).toEqual([]);

    // 2. No acknowledged add lost for a user that still exists, and no
    //    acknowledged remove undone, read over the bus as the decision path reads.
    const mayAdd = (c: Call) => c.kind === 'add' && (c.ok || !DEFINITE_REFUSALS.add.includes(c.code ?? ''));
    const mayRemove = (c: Call) => c.kind === 'remove' && (c.ok || !DEFINITE_REFUSALS.remove.includes(c.code ?? ''));
    const problems: string[] = [];
    for (const [name, userId] of exists) {
      const { Groups } = await bus.send(D.GroupsOfUser, { UserId: userId });
      const present = new Set(Groups.map((g) => g.GroupName));
      for (const group of GROUPS) {
        const onPair = calls.filter((c) => c.user === name && c.group === group);
        const removes = onPair.filter(mayRemove);
        const adds = onPair.filter(mayAdd);
        const mustBePresent = onPair.some((a) => a.kind === 'add' && a.ok && removes.every((r) => r.end < a.start));
        const mustBeAbsent = onPair.some((r) => r.kind === 'remove' && r.ok && adds.every((a) => a.end < r.start)) || adds.length === 0;
        if (mustBePresent && !present.has(group)) problems.push(`acknowledged add of ${name} to ${group} is lost`);
        if (mustBeAbsent && present.has(group)) problems.push(`${name} is in ${group} after its removal or without an add`);
      }
    }
    expect(problems).toEqual([]);
  });
});
