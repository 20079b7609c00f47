import { INestMicroservice } from '@nestjs/common';
import { IamError, IdentityPatterns as P } from '@iam/contracts';
import { startService } from '@iam/platform';
import { inProcessTransport, postgresInstalled, servicesRequired, silentLogger, startPostgresServer, testBusClient, TestPostgresServer } from '@iam/testing';
import { IdentityServiceModule } from './identity-service.module';
import { IdentityEnv, identityOptions } from './identity.options';

jest.setTimeout(120_000);

const describeWithPostgres = postgresInstalled() || servicesRequired() ? describe : describe.skip;

/**
 * PostgreSQL stops under a steady mix of writes and reads, then comes back:
 * every failure meanwhile is a 503 (`ServiceUnavailable`), never a 500; the
 * service recovers by itself; no acknowledged write is lost.
 */
describeWithPostgres('identity through a database outage (own PostgreSQL, stopped and restarted)', () => {
  let postgres: TestPostgresServer;
  let service: INestMicroservice;
  let bus: Awaited<ReturnType<typeof testBusClient>>;
  const transport = inProcessTransport();

  beforeAll(async () => {
    postgres = await startPostgresServer();
    const env = IdentityEnv.parse({ DATABASE_URL: postgres.url, IAM_ACCOUNT_ID: '123456789012', IAM_DB_POOL_SIZE: '3' });
    service = await startService({
      name: 'identity',
      module: IdentityServiceModule.register({ ...identityOptions(env, transport), argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 } }),
      transport,
      logger: silentLogger('identity'),
    });
    bus = await testBusClient(transport, 20_000);
  });

  afterAll(async () => {
    await bus?.close();
    await service?.close();
    await postgres?.remove();
  });

  it('answers ServiceUnavailable while PostgreSQL is down, recovers without a restart, and loses no acknowledged write', async () => {
    const acknowledged: string[] = [];
    const outcomes = new Map<string, number>();
    const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    let running = true;
    let serial = 0;
    const worker = async (w: number) => {
      while (running) {
        const name = `user-${w}-${serial++}`;
        try {
          await bus.send(P.CreateUser, { UserName: name });
          acknowledged.push(name);
          await bus.send(P.GetUser, { UserName: name });
          count('ok');
        } catch (error) {
          count(error instanceof IamError ? error.code : `unexpected: ${String(error)}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const workers = Array.from({ length: 4 }, (_, w) => worker(w));

    const waitFor = async (what: () => boolean) => {
      for (let i = 0; i < 600 && !what(); i++) await new Promise((r) => setTimeout(r, 50));
    };
    await waitFor(() => (outcomes.get('ok') ?? 0) >= 10);
    await postgres.stop();
    await waitFor(() => (outcomes.get('ServiceUnavailable') ?? 0) >= 10);
    const duringOutage = outcomes.get('ServiceUnavailable') ?? 0;
    await postgres.start();
    const okBefore = outcomes.get('ok') ?? 0;
    await waitFor(() => (outcomes.get('ok') ?? 0) >= okBefore + 10);
    running = false;
    await Promise.all(workers);

    expect(duringOutage).toBeGreaterThanOrEqual(10);
    expect((outcomes.get('ok') ?? 0) - okBefore).toBeGreaterThanOrEqual(10);
    expect([...outcomes.keys()].filter((outcome) => outcome !== 'ok' && outcome !== 'ServiceUnavailable')).toEqual([]);
    const missing: string[] = [];
    for (const name of acknowledged) {
      await bus.send(P.GetUser, { UserName: name }).catch(() => missing.push(name));
    }
    expect(missing).toEqual([]);
  });
});
