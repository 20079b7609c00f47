import { DirectoryPatterns, IamError, IdentityPatterns, parseRequest, REQUEST_SCHEMAS } from '@iam/contracts';
import { contract } from '@iam/platform';
import { inProcessTransport, testBusClient } from './bus';
import { startStubService } from './stub';

/** A fake answers exactly as the real service would at its edge: requests and replies both checked. */
describe('startStubService checks requests and replies against the contract', () => {
  const closers: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const closer of closers.splice(0)) await closer.close();
  });

  const alice = {
    UserId: 'AIDAALICEALICEALICE0',
    UserName: 'alice',
    Path: '/',
    Arn: 'arn:aws:iam::123456789012:user/alice',
    State: 'active' as const,
    Tags: [],
    CreateDate: '2026-01-01T00:00:00Z',
  };

  async function fake(handlers: Parameters<typeof startStubService>[2]) {
    const transport = inProcessTransport();
    closers.push(await startStubService(transport, 'identity', handlers));
    const bus = await testBusClient(transport);
    closers.push(bus);
    return bus;
  }

  it('refuses a request that breaks the contract with the ValidationError the real handler gives, without calling the fake', async () => {
    const seen: unknown[] = [];
    const bus = await fake({ [IdentityPatterns.ResolveUser]: (r) => (seen.push(r), alice) });
    const invalid = { UserName: 'no spaces allowed' };
    const expected = (() => {
      try {
        contract(IdentityPatterns.ResolveUser).transform(invalid);
      } catch (error) {
        return error as IamError;
      }
      throw new Error('the contract pipe accepted an invalid request');
    })();
    const error = await bus.send(IdentityPatterns.ResolveUser, invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IamError);
    expect(error).toMatchObject({ code: 'ValidationError', message: expected.message });
    expect(expected.message).toContain("at 'userName' failed to satisfy constraint");
    expect(seen).toEqual([]);
  });

  it('hands the fake the request as the contract parses it', async () => {
    const seen: unknown[] = [];
    const bus = await fake({ [IdentityPatterns.ResolveUser]: (r) => (seen.push(r), alice) });
    await expect(bus.send(IdentityPatterns.ResolveUser, { UserName: 'alice' })).resolves.toEqual(alice);
    expect(seen).toEqual([parseRequest(REQUEST_SCHEMAS[IdentityPatterns.ResolveUser], { UserName: 'alice' })]);
  });

  it('answers ServiceFailure naming the problem when the fake replies what the real service never may', async () => {
    const wrong = { ...alice, State: 'gone' } as unknown as typeof alice;
    const bus = await fake({ [IdentityPatterns.ResolveUser]: () => wrong });
    const error = await bus.send(IdentityPatterns.ResolveUser, { UserName: 'alice' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ServiceFailure' });
    expect((error as Error).message).toContain('the fake of identity.user.resolve answered a reply that breaks the contract');
    expect((error as Error).message).toContain("at 'state'");
  });

  it('refuses to fake a pattern whose reply has no schema in the contract', async () => {
    await expect(startStubService(inProcessTransport(), 'directory', { [DirectoryPatterns.ListGroups]: () => ({ Groups: [], IsTruncated: false }) })).rejects.toThrow(
      'directory.groups.list declares no reply schema in the contract',
    );
  });
});
