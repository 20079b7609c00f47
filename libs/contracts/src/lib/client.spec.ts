import { BusClient, BusRequester, BusTimeout, isIdempotentRead, observeBusRequests } from './client';
import { IdentityPatterns } from './identity';

/** The replica that took the request died holding it: no reply, the requester's timeout. */
const NEVER = Symbol('never');

/** A requester whose n-th request answers `answers[n]` (NEVER: times out). */
function proxy(answers: unknown[]): { proxy: BusRequester; sent: string[] } {
  const sent: string[] = [];
  const fake: BusRequester = {
    connect: async () => undefined,
    close: async () => undefined,
    request: async (pattern, _data, _headers, ms) => {
      sent.push(pattern);
      const answer = sent.length <= answers.length ? answers[sent.length - 1] : NEVER;
      if (answer === NEVER) throw new BusTimeout(pattern, ms);
      return answer;
    },
    publish: async () => undefined,
  };
  return { proxy: fake, sent };
}

const of = <T>(value: T) => value;
const client = (p: BusRequester) => new BusClient(p, { timeoutMs: 50, headers: () => ({}) });

describe('BusClient', () => {
  afterEach(() => observeBusRequests(undefined));

  it('sends an idempotent read once more when the first replica never answers', async () => {
    const { proxy: p, sent } = proxy([NEVER, of({ User: { UserName: 'ann' } })]);
    const seen: string[] = [];
    observeBusRequests((pattern, _seconds, outcome) => seen.push(`${pattern} ${outcome}`));
    await expect(client(p).send(IdentityPatterns.GetUser, { UserName: 'ann' })).resolves.toEqual({ User: { UserName: 'ann' } });
    expect(sent).toEqual([IdentityPatterns.GetUser, IdentityPatterns.GetUser]);
    expect(seen).toEqual(['identity.user.get timeout', 'identity.user.get ok']);
  });

  it('gives up after the second try of a read, and never sends a write twice', async () => {
    const read = proxy([NEVER, NEVER, of({})]);
    await expect(client(read.proxy).send(IdentityPatterns.GetUser, { UserName: 'ann' })).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(read.sent).toHaveLength(2);
    const write = proxy([NEVER, of({})]);
    await expect(client(write.proxy).send(IdentityPatterns.CreateUser, { UserName: 'ann' })).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(write.sent).toEqual([IdentityPatterns.CreateUser]);
  });

  it('tells reads from writes by their pattern', () => {
    for (const read of ['identity.user.get', 'identity.user.list', 'directory.user.groups.list', 'authorization.authorize', 'identity.health', 'directory.groups.members', 'identity.signature.verify']) {
      expect({ read, idempotent: isIdempotentRead(read) }).toEqual({ read, idempotent: true });
    }
    for (const write of ['identity.user.create', 'identity.user.delete', 'directory.membership.add', 'authorization.policy.tag', 'identity.password.change', 'identity.session.verify', 'authorization.simulate.principal']) {
      expect({ write, idempotent: isIdempotentRead(write) }).toEqual({ write, idempotent: false });
    }
  });
});
