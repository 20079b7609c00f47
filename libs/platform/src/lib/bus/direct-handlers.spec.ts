import { Controller, INestMicroservice, Module, UseInterceptors } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { BusClient, IamError, IdentityEvents, IdentityPatterns, REQUEST_ID_HEADER, RequestOf, ResolvedUser } from '@iam/contracts';
import { Writable } from 'node:stream';
import { of } from 'rxjs';
import { startService } from '../bootstrap';
import { createLogger } from '../logging/logger';
import { metricsRegistry } from '../metrics/metrics';
import { RequestScope } from '../request-scope';
import { directHandlers } from './direct-handlers';
import { contract } from './handlers';
import { InFlightTracker } from './in-flight';
import { InProcessBroker } from './in-process';
import { createBusRequester } from './transport';

const user = (UserName: string, UserId = 'AIDAEXAMPLEEXAMPLE01'): ResolvedUser =>
  ({ UserId, UserName, Path: '/', Arn: `arn:aws:iam::123456789012:user/${UserName}`, State: 'active', Tags: [], CreateDate: '2026-01-01T00:00:00Z' }) as ResolvedUser;

const seenEvents: unknown[] = [];
let inFlightDuringCall = -1;
let tracker: InFlightTracker | undefined;

@Controller()
class UsersController {
  @MessagePattern(IdentityPatterns.ResolveUser)
  async resolve(@Payload(contract(IdentityPatterns.ResolveUser)) request: RequestOf<typeof IdentityPatterns.ResolveUser>): Promise<ResolvedUser> {
    const name = 'UserName' in request ? request.UserName : '?';
    if (name === 'missing') throw new IamError('NoSuchEntity', 'The user with name missing cannot be found.');
    if (name === 'boom') throw new Error('connection string postgres://secret@db leaked?');
    inFlightDuringCall = tracker?.size ?? -1;
    // The request id of the bus header is this call's scope.
    return user(name, RequestScope.requestId());
  }

  @MessagePattern(IdentityPatterns.GetRootUser)
  root(): { User: ResolvedUser } {
    return { User: user('root') };
  }

  /** Reads its context: Nest's pipeline serves it. */
  @MessagePattern(IdentityPatterns.ResolveUsers)
  many(@Payload() request: { UserIds: string[] }, @Ctx() context: { getSubject(): string }): { Users: ResolvedUser[] } {
    return { Users: request.UserIds.map((id) => user(context.getSubject(), id)) };
  }

  @EventPattern(IdentityEvents.UserDeleted)
  deleted(@Payload() payload: unknown): void {
    seenEvents.push(payload);
  }
}

/** Its own interceptor: Nest's pipeline serves it. */
@Controller()
@UseInterceptors({ intercept: (_context: unknown, next: { handle(): unknown }) => next.handle() } as never)
class IntercepedController {
  @MessagePattern(IdentityPatterns.GetUser)
  get(): unknown {
    return of({ User: user('intercepted') });
  }
}

@Module({ controllers: [UsersController, IntercepedController] })
class TestModule {}

describe('direct request handlers', () => {
  const lines: string[] = [];
  const logger = createLogger(
    'identity',
    'debug',
    new Writable({
      write(chunk, _encoding, callback) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        callback();
      },
    }),
  );
  let app: INestMicroservice;
  let bus: BusClient;
  let requestId = 'request-1';
  const requester = (() => {
    const broker = new InProcessBroker();
    return { broker, requester: createBusRequester({ kind: 'in-process', broker }, 'spec') };
  })();

  beforeAll(async () => {
    app = await startService({ name: 'identity', module: TestModule, transport: { kind: 'in-process', broker: requester.broker }, logger });
    bus = new BusClient(requester.requester, { timeoutMs: 5_000, headers: () => ({ [REQUEST_ID_HEADER]: requestId }) });
  });

  afterAll(async () => {
    await app.close();
  });

  it('takes the handlers that need only the global pipeline, and leaves the others to Nest', async () => {
    tracker = new InFlightTracker();
    const handlers = directHandlers(app, 'identity', logger, tracker);
    expect([...handlers.keys()].sort()).toEqual([IdentityPatterns.GetRootUser, IdentityPatterns.ResolveUser].sort());
    // Counted as in flight while it runs, for graceful shutdown.
    inFlightDuringCall = -1;
    const resolve = handlers.get(IdentityPatterns.ResolveUser);
    if (!resolve) throw new Error('identity.user.resolve is not served directly');
    const reply = await resolve({ UserName: 'bob' }, { get: () => 'request-0' }, 'identity.user.resolve');
    expect(reply).toEqual({ response: user('bob', 'request-0') });
    expect(inFlightDuringCall).toBe(1);
    expect(tracker.size).toBe(0);
  });

  it('answers with the reply, inside the request scope of the bus header', async () => {
    requestId = 'request-direct-1';
    const reply = await bus.send(IdentityPatterns.ResolveUser, { UserName: 'ann' });
    expect(reply).toEqual(user('ann', 'request-direct-1'));
    const handled = lines.map((line) => JSON.parse(line) as { msg: string; requestId?: string; outcome?: string }).filter((l) => l.msg === 'handled');
    expect(handled.at(-1)).toMatchObject({ requestId: 'request-direct-1', outcome: 'ok' });
  });

  it('validates the request against its contract, as the pipe does', async () => {
    await expect(bus.send(IdentityPatterns.ResolveUser, { UserName: '' } as never)).rejects.toMatchObject({ code: 'ValidationError' });
    await expect(bus.send(IdentityPatterns.ResolveUser, { Nope: 1 } as never)).rejects.toMatchObject({ code: 'ValidationError' });
  });

  it('carries a coded error as it is, and anything else as ServiceFailure with the cause in the log only', async () => {
    await expect(bus.send(IdentityPatterns.ResolveUser, { UserName: 'missing' })).rejects.toMatchObject({
      code: 'NoSuchEntity',
      message: 'The user with name missing cannot be found.',
    });
    const failure = await bus.send(IdentityPatterns.ResolveUser, { UserName: 'boom' }).catch((error: IamError) => error);
    expect(failure).toMatchObject({ code: 'ServiceFailure' });
    expect((failure as IamError).message).not.toContain('postgres://');
    expect(lines.some((line) => line.includes('unexpected error'))).toBe(true);
  });

  it('counts every request in the handler-duration metric with its outcome', async () => {
    await bus.send(IdentityPatterns.GetRootUser, {});
    const metric = await metricsRegistry.getSingleMetricAsString('iam_bus_handler_duration_seconds');
    expect(metric).toMatch(/iam_bus_handler_duration_seconds_count\{service="identity",pattern="identity\.root\.get",outcome="ok"\} [1-9]/);
    expect(metric).toMatch(/pattern="identity\.user\.resolve",outcome="NoSuchEntity"\} [1-9]/);
    expect(metric).toMatch(/pattern="identity\.user\.resolve",outcome="ValidationError"\} [1-9]/);
  });

  it("serves the other handlers through Nest's pipeline as before", async () => {
    await expect(bus.send(IdentityPatterns.ResolveUsers, { UserIds: ['a'] })).resolves.toEqual({ Users: [user('identity.users.resolve', 'a')] });
    await expect(bus.send(IdentityPatterns.GetUser, { UserName: 'x' })).resolves.toEqual({ User: user('intercepted') });
    await bus.emit(IdentityEvents.UserDeleted, { UserId: 'AIDAGONE' } as never);
    for (let i = 0; i < 50 && seenEvents.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seenEvents).toEqual([{ UserId: 'AIDAGONE' }]);
  });
});
