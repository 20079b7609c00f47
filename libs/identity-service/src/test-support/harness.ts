// Test support only (excluded from the library build): starts the identity
// service on real NATS and PostgreSQL and talks to it over the bus.
import { INestMicroservice } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { BusClient, IamError, IdentityEvents, IdentityPatterns } from '@iam/contracts';
import { BusTransport, Clock, createBusServer, InFlightTracker, startService } from '@iam/platform';
import { createTestDatabase, isolatedNatsTransport, silentLogger, testBusClient, TestDatabase } from '@iam/testing';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { IdentityPorts, IdentityServiceModule } from '../lib/identity-service.module';
import { IdentityEnv, identityOptions, IdentityServiceOptions } from '../lib/identity.options';

export const ACCOUNT_ID = '123456789012';
/** Cheap argon2id parameters so specs run fast; one spec checks the real defaults. */
export const FAST_ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

/** A clock the spec moves by hand. */
export class FakeClock extends Clock {
  constructor(private current = new Date('2026-11-28T10:00:00.000Z')) {
    super();
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface IdentityUnderTest {
  bus: BusClient & { close(): Promise<void> };
  transport: BusTransport;
  database: TestDatabase;
  service: INestMicroservice;
  /** Runs SQL against the service's database, to look at what it stored. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Stops the service (and only it). */
  stop(): Promise<void>;
  /** Starts the service again on the same database and bus, with other options if given. */
  restart(changes?: { options?: Partial<IdentityServiceOptions>; ports?: IdentityPorts; logger?: Logger }): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  options?: Partial<IdentityServiceOptions>;
  ports?: IdentityPorts;
  logger?: Logger;
  transport?: BusTransport;
  env?: Record<string, string>;
}

function optionsFor(database: TestDatabase, transport: BusTransport, start: StartOptions): IdentityServiceOptions {
  const env = IdentityEnv.parse({ DATABASE_URL: database.url, IAM_ACCOUNT_ID: ACCOUNT_ID, IAM_DB_POOL_SIZE: '3', ...start.env });
  return { ...identityOptions(env, transport), argon2: FAST_ARGON2, ...start.options };
}

export async function startIdentity(start: StartOptions = {}): Promise<IdentityUnderTest> {
  const database = await createTestDatabase();
  const transport = start.transport ?? isolatedNatsTransport();
  const launch = (options: IdentityServiceOptions, ports: IdentityPorts | undefined, logger: Logger | undefined) =>
    startService({
      name: 'identity',
      module: IdentityServiceModule.register(options, ports),
      transport,
      logger: logger ?? silentLogger('identity'),
    });
  let options = optionsFor(database, transport, start);
  let ports = start.ports;
  let service: INestMicroservice | undefined = await launch(options, ports, start.logger);
  const bus = await testBusClient(transport);
  await answering(bus);
  const pg = new Client({ connectionString: database.url });
  await pg.connect();

  const handle: IdentityUnderTest = {
    bus,
    transport,
    database,
    get service() {
      if (!service) throw new Error('the identity service is stopped');
      return service;
    },
    sql: async <T>(text: string, params: unknown[] = []) => (await pg.query(text, params)).rows as T[],
    stop: async () => {
      await service?.close();
      service = undefined;
    },
    restart: async (changes = {}) => {
      await service?.close();
      service = undefined;
      options = { ...options, ...changes.options };
      ports = changes.ports ?? ports;
      service = await launch(options, ports, changes.logger);
      await answering(bus);
    },
    close: async () => {
      await bus.close();
      await service?.close();
      await pg.end();
      await database.drop();
    },
  };
  return handle;
}

/**
 * Waits until the service answers: NATS registers a new subscription a moment
 * after the service started, so a request sent at once may find no responder.
 */
async function answering(bus: BusClient): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await bus.send(IdentityPatterns.Health, {}, { timeoutMs: 1_000 });
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The coded error a call failed with; fails the spec when the call succeeded. */
export function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: IamError) => ({ code: error.code, message: error.message }),
  );
}

/** A fresh 32-byte master key, base64. */
export function newMasterKey(): string {
  return randomBytes(32).toString('base64');
}

/** Collects every identity event published on `transport`. */
export async function listenToIdentityEvents(
  transport: BusTransport,
): Promise<{ events: Array<{ event: string; payload: Record<string, unknown> }>; close(): Promise<void> }> {
  const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
  const listener = createBusServer(transport, 'spec-listener', new InFlightTracker());
  for (const event of Object.values(IdentityEvents)) {
    listener.addHandler(event, async (payload: Record<string, unknown>) => void events.push({ event, payload }), true);
  }
  await new Promise<void>((resolve, reject) => listener.listen((error?: unknown) => (error ? reject(error) : resolve())));
  return { events, close: async () => void (await listener.close()) };
}

/** Waits (up to about two seconds) until `predicate` holds; returns whether it did. */
export async function eventually(predicate: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return predicate();
}
