import { INestMicroservice } from '@nestjs/common';
import { Arns, BusClient, Errors, IamError, IdentityPatterns, ResolvedUser, AuthorizationPatterns, EventName, PayloadOf } from '@iam/contracts';
import { BusTransport, createBusServer, InFlightTracker, startService } from '@iam/platform';
import { createTestDatabase, isolatedNatsTransport, silentLogger, startStubService, testBusClient, TestDatabase } from '@iam/testing';
import { MessageHandler } from '@nestjs/microservices';
import { Client } from 'pg';
import { DirectoryServiceModule } from '../lib/directory-service.module';
import { DirectoryServiceOptions } from '../lib/directory.options';

export const ACCOUNT = '123456789012';

/** A user as the identity stand-in keeps it. */
export interface FakeUser extends ResolvedUser {
  CreateDate: string;
}

/**
 * Stands in for identity on the bus: users kept in memory, resolved by name
 * (case-insensitive) or id, one by one or in bulk, as identity's contract says.
 */
export class FakeIdentity {
  readonly users = new Map<string, FakeUser>();
  /** Every `ResolveUsers` request, to check one call per page. */
  readonly bulkCalls: string[][] = [];
  /** Runs before `ResolveUser` answers (for interleavings). */
  beforeResolve?: (user: FakeUser) => Promise<void>;
  private next = 0;

  create(name: string, path = '/'): FakeUser {
    this.next += 1;
    const user: FakeUser = {
      UserId: `AIDA${String(this.next).padStart(17, '0')}`,
      UserName: name,
      Path: path,
      Arn: Arns.user(ACCOUNT, path, name),
      State: 'active',
      Tags: [],
      CreateDate: new Date(Date.UTC(2025, 0, 1, 0, 0, this.next)).toISOString(),
    };
    this.users.set(user.UserId, user);
    return user;
  }

  rename(user: FakeUser, name: string): void {
    user.UserName = name;
    user.Arn = Arns.user(ACCOUNT, user.Path, name);
  }

  private byName(name: string): FakeUser | undefined {
    return [...this.users.values()].find((user) => user.UserName.toLowerCase() === name.toLowerCase());
  }

  handlers() {
    return {
      [IdentityPatterns.ResolveUser]: async (request: { UserName: string } | { UserId: string }) => {
        const user = 'UserId' in request ? this.users.get(request.UserId) : this.byName(request.UserName);
        if (!user) throw Errors.noSuchUser('UserId' in request ? request.UserId : request.UserName);
        if (this.beforeResolve) await this.beforeResolve(user);
        return { ...user };
      },
      [IdentityPatterns.ResolveUsers]: (request: { UserIds: string[] }) => {
        this.bulkCalls.push(request.UserIds);
        return {
          Users: request.UserIds.flatMap((id) => {
            const user = this.users.get(id);
            return user ? [{ ...user }] : [];
          }),
        };
      },
    };
  }
}

/** Stands in for authorization's side of deleting a group. */
export class FakeAuthorization {
  /** Policies per group id. */
  readonly policies = new Map<string, { attached: number; inline: number }>();
  /** Group ids whose delete has begun and not been cancelled. */
  readonly begun = new Set<string>();
  readonly cancelled: string[] = [];
  /** When set, `BeginPrincipalDelete` answers this error. */
  failWith?: IamError;
  /** When set, `BeginPrincipalDelete` waits for it before answering. */
  gate?: Promise<void>;
  /** Resolved when `BeginPrincipalDelete` has been received. */
  private received?: () => void;

  /** A promise resolved when the next `BeginPrincipalDelete` arrives. */
  nextBegin(): Promise<void> {
    return new Promise((resolve) => (this.received = resolve));
  }

  handlers() {
    return {
      [AuthorizationPatterns.BeginPrincipalDelete]: async (request: { PrincipalType: 'user' | 'group'; PrincipalId: string }) => {
        this.received?.();
        if (this.gate) await this.gate;
        if (this.failWith) throw this.failWith;
        this.begun.add(request.PrincipalId);
        const counts = this.policies.get(request.PrincipalId) ?? { attached: 0, inline: 0 };
        return { AttachedPolicyCount: counts.attached, InlinePolicyCount: counts.inline };
      },
      [AuthorizationPatterns.CancelPrincipalDelete]: (request: { PrincipalType: 'user' | 'group'; PrincipalId: string }) => {
        this.begun.delete(request.PrincipalId);
        this.cancelled.push(request.PrincipalId);
        return {};
      },
    };
  }
}

/** Records the events published on the bus, as a subscriber elsewhere would see them. */
export class EventLog {
  readonly received: Array<{ event: string; payload: unknown }> = [];

  of<E extends EventName>(event: E): Array<PayloadOf<E>> {
    return this.received.filter((entry) => entry.event === event).map((entry) => entry.payload as PayloadOf<E>);
  }

  /** Resolves once `count` events of that name have arrived. */
  async waitFor(event: EventName, count = 1): Promise<void> {
    while (this.of(event).length < count) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface DirectoryHarness {
  transport: BusTransport;
  bus: BusClient;
  identity: FakeIdentity;
  authorization: FakeAuthorization;
  events: EventLog;
  /** Reads and writes the directory's tables directly (to inspect state or stage a crashed replica's leftovers). */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * The directory service on real NATS (its own subject prefix) and a fresh
 * PostgreSQL database, with stand-ins for identity and authorization.
 */
export async function startDirectory(
  overrides: Pick<DirectoryServiceOptions, 'limits' | 'deleteLeaseMs'> = {},
  events: EventName[] = [],
): Promise<DirectoryHarness> {
  const database: TestDatabase = await createTestDatabase();
  const transport = isolatedNatsTransport();
  const identity = new FakeIdentity();
  const authorization = new FakeAuthorization();
  const log = new EventLog();
  const stubs = [
    await startStubService(transport, 'identity', identity.handlers()),
    await startStubService(transport, 'authorization', authorization.handlers()),
  ];
  const listener = createBusServer(transport, 'spec-listener', new InFlightTracker());
  for (const event of events) {
    const handler = (async (payload: unknown) => void log.received.push({ event, payload })) as MessageHandler;
    listener.addHandler(event, handler, true);
  }
  await new Promise<void>((resolve, reject) => listener.listen((error?: unknown) => (error ? reject(error) : resolve())));
  const service: INestMicroservice = await startService({
    name: 'directory',
    module: DirectoryServiceModule.register({
      accountId: ACCOUNT,
      database: { url: database.url, poolSize: 4 },
      bus: { transport, name: 'directory', timeoutMs: 3_000 },
      ...overrides,
    }),
    transport,
    logger: silentLogger('directory'),
  });
  const bus = await testBusClient(transport);
  const client = new Client({ connectionString: database.url });
  await client.connect();
  return {
    transport,
    bus,
    identity,
    authorization,
    events: log,
    sql: async <T>(text: string, values?: unknown[]) => (await client.query(text, values)).rows as T[],
    close: async () => {
      await bus.close();
      await service.close();
      await listener.close();
      for (const stub of stubs) await stub.close();
      await client.end();
      await database.drop();
    },
  };
}

/** The error a call failed with, as `{ code, message }`; fails if the call succeeded. */
export function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: IamError) => ({ code: error.code, message: error.message }),
  );
}
