import { IamError, IdentityPatterns } from '@iam/contracts';
import { BusTransport, createBusServer, InFlightTracker, MAX_REPLY_BYTES } from '@iam/platform';
import { describeWithServices } from './services';
import { inProcessTransport, isolatedNatsTransport, testBusClient } from './bus';
import { startStubService } from './stub';

/**
 * One conformance suite for every transport: the in-process stand-in must
 * behave as NATS does for everything the apps rely on.
 */
function conformance(name: string, makeTransport: () => BusTransport) {
  describe(name, () => {
    const closers: Array<{ close(): Promise<void> }> = [];
    afterEach(async () => {
      for (let closer = closers.pop(); closer; closer = closers.pop()) await closer.close();
    });

    const user = (UserName: string) => ({
      UserId: 'AIDAEXAMPLEEXAMPLE01',
      UserName,
      Path: '/',
      Arn: `arn:aws:iam::123456789012:user/${UserName}`,
      State: 'active' as const,
      Tags: [],
      CreateDate: '2026-01-01T00:00:00Z',
    });

    it('carries a request and its reply as JSON', async () => {
      const transport = makeTransport();
      closers.push(await startStubService(transport, 'identity', { [IdentityPatterns.ResolveUser]: (r) => user('UserName' in r ? r.UserName : '?') }));
      const bus = await testBusClient(transport);
      closers.push(bus);
      await expect(bus.send(IdentityPatterns.ResolveUser, { UserName: 'ann' })).resolves.toEqual(user('ann'));
    });

    it('delivers a coded error as an IamError with its code and message', async () => {
      const transport = makeTransport();
      closers.push(
        await startStubService(transport, 'identity', {
          [IdentityPatterns.ResolveUser]: () => {
            throw new IamError('NoSuchEntity', 'The user with name ann cannot be found.');
          },
        }),
      );
      const bus = await testBusClient(transport);
      closers.push(bus);
      const error = await bus.send(IdentityPatterns.ResolveUser, { UserName: 'ann' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IamError);
      expect(error).toMatchObject({ code: 'NoSuchEntity', message: 'The user with name ann cannot be found.' });
    });

    it('answers ServiceUnavailable at once when nobody listens', async () => {
      const bus = await testBusClient(makeTransport(), 10_000);
      closers.push(bus);
      const error = await bus.send(IdentityPatterns.ResolveUser, { UserName: 'ann' }).catch((e: unknown) => e);
      // "No replica is listening" comes from the transport's no-responders answer, not from the 10 s timeout.
      expect(error).toMatchObject({ code: 'ServiceUnavailable', message: 'The identity service is unavailable: no replica is listening.' });
    });

    it('answers ServiceUnavailable when the reply does not come within the timeout', async () => {
      const transport = makeTransport();
      closers.push(await startStubService(transport, 'identity', { [IdentityPatterns.ResolveUser]: () => new Promise(() => undefined) }));
      const bus = await testBusClient(transport, 300);
      closers.push(bus);
      await expect(bus.send(IdentityPatterns.ResolveUser, { UserName: 'ann' })).rejects.toMatchObject({
        code: 'ServiceUnavailable',
        message: 'The identity service is unavailable: no answer within 300 ms.',
      });
    });

    it('on close, answers every request it took before closing, then takes no more', async () => {
      const transport = makeTransport();
      let release = () => undefined as void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      const service = await startStubService(transport, 'identity', {
        [IdentityPatterns.ResolveUser]: async (r) => {
          started++;
          await gate;
          return user('UserName' in r ? r.UserName : '?');
        },
      });
      const bus = await testBusClient(transport, 30_000);
      closers.push(bus);
      const pending = Array.from({ length: 5 }, (_, i) => bus.send(IdentityPatterns.ResolveUser, { UserName: `u${i}` }));
      while (started < 5) await new Promise((resolve) => setTimeout(resolve, 10));
      let closed = false;
      const closing = service.close().then(() => (closed = true));
      // The handlers are held: the server cannot have closed.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);
      release();
      await closing;
      expect((await Promise.all(pending)).map((u) => u.UserName)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
      await expect(bus.send(IdentityPatterns.ResolveUser, { UserName: 'late' })).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    });

    it('gives each request to one replica of a queue group', async () => {
      const transport = makeTransport();
      const served: string[] = [];
      for (const replica of ['a', 'b']) {
        closers.push(
          await startStubService(transport, 'identity', {
            [IdentityPatterns.ResolveUser]: (r) => {
              served.push(replica);
              return user('UserName' in r ? r.UserName : '?');
            },
          }),
        );
      }
      const bus = await testBusClient(transport);
      closers.push(bus);
      await Promise.all(Array.from({ length: 40 }, (_, i) => bus.send(IdentityPatterns.ResolveUser, { UserName: `u${i}` })));
      expect(served).toHaveLength(40);
      expect(new Set(served)).toEqual(new Set(['a', 'b']));
    });

    it('carries a reply over the 1 MiB max_payload whole (in chunks over NATS), and many at once to their own callers', async () => {
      const transport = makeTransport();
      // 9,000 tags as long as the contract allows (~400 bytes each): a reply over 3 MiB, three times NATS's max_payload.
      const tags = (name: string) => Array.from({ length: 9_000 }, (_, i) => ({ Key: `${name}-${i}-`.padEnd(128, 'k'), Value: 'v'.repeat(256) }));
      closers.push(await startStubService(transport, 'identity', { [IdentityPatterns.ResolveUser]: (r) => ({ ...user('UserName' in r ? r.UserName : '?'), Tags: tags('UserName' in r ? r.UserName : '?') }) }));
      const bus = await testBusClient(transport, 20_000);
      closers.push(bus);
      const replies = await Promise.all(['ann', 'bob', 'cid', 'dan'].map((UserName) => bus.send(IdentityPatterns.ResolveUser, { UserName })));
      expect(JSON.stringify(replies[0]).length).toBeGreaterThan(3 * 1024 * 1024);
      expect(replies.map((reply) => reply.UserName)).toEqual(['ann', 'bob', 'cid', 'dan']);
      replies.forEach((reply) => expect(reply.Tags).toEqual(tags(reply.UserName)));
    });

    it('answers an error, and keeps serving, when a reply is over the bus bound', async () => {
      const transport = makeTransport();
      let big = true;
      // Tags as long as the contract allows, more of them than fit in the bound.
      const tooMany = Array.from({ length: Math.ceil(MAX_REPLY_BYTES / 256) + 1 }, (_, i) => ({ Key: `k${i}`, Value: 'x'.repeat(256) }));
      closers.push(
        await startStubService(transport, 'identity', {
          [IdentityPatterns.ResolveUser]: (r) => ({ ...user('UserName' in r ? r.UserName : '?'), Tags: big ? tooMany : [] }),
        }),
      );
      const bus = await testBusClient(transport, 20_000);
      closers.push(bus);
      await expect(bus.send(IdentityPatterns.ResolveUser, { UserName: 'ann' })).rejects.toMatchObject({ code: 'ServiceFailure', message: expect.stringContaining('too large to send') });
      big = false;
      await expect(bus.send(IdentityPatterns.ResolveUser, { UserName: 'ann' })).resolves.toEqual(user('ann'));
    });

    it('fans an event out to every subscribed replica', async () => {
      const transport = makeTransport();
      const received: string[] = [];
      const servers = ['a', 'b'].map((replica) => {
        const server = createBusServer(transport, 'directory', new InFlightTracker());
        server.addHandler('identity.user.deleted', async (data: { UserId: string }) => void received.push(`${replica}:${data.UserId}`), true);
        return server;
      });
      for (const server of servers) {
        await new Promise<void>((resolve, reject) => server.listen((e?: unknown) => (e ? reject(e) : resolve())));
        closers.push({ close: async () => void (await server.close()) });
      }
      const bus = await testBusClient(transport);
      closers.push(bus);
      await bus.emit('identity.user.deleted', { UserId: 'AIDAX', UserName: 'x' });
      for (let i = 0; i < 50 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(received.sort()).toEqual(['a:AIDAX', 'b:AIDAX']);
    });
  });
}

conformance('in-process bus', inProcessTransport);
describeWithServices('NATS bus', () => conformance('over NATS', isolatedNatsTransport));
