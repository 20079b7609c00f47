import { IdentityPatterns as P, UserSummary } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { ACCOUNT_ID, failure, IdentityUnderTest, startIdentity } from '../../test-support/harness';
import { UsersService } from './users.service';

describeWithServices('users in name order and unknown ids, for other services, over NATS and PostgreSQL', () => {
  let identity: IdentityUnderTest;
  const ids: Record<string, string> = {};
  // Code-point order of the lower-cased names: '-' < '0' < '_' < 'a'.
  const names = ['Zed', 'alice', 'Bob', 'a_b', 'a-b', 'a0', 'carol', 'DAVE'];
  const ordered = ['a-b', 'a0', 'a_b', 'alice', 'Bob', 'carol', 'DAVE', 'Zed'];

  beforeAll(async () => {
    identity = await startIdentity();
    for (const name of names) ids[name] = (await identity.bus.send(P.CreateUser, { UserName: name, Path: name === 'carol' ? '/eng/' : '/' })).User.UserId;
  });

  afterAll(async () => {
    await identity?.close();
  });

  const page = (request: object) => identity.bus.send(P.UsersInNameOrder, request as never);
  const named = (users: UserSummary[]) => users.map((user) => user.UserName);
  const keyOf = (name: string) => ({ NameLower: name.toLowerCase(), UserId: ids[name] });

  it('pages every user by lower-cased name in code-point order, after a key, one request a page', async () => {
    const first = await page({ Limit: 3 });
    expect(named(first.Users)).toEqual(ordered.slice(0, 3));
    expect(first.IsTruncated).toBe(true);
    const second = await page({ Limit: 3, After: keyOf('a_b') });
    expect(named(second.Users)).toEqual(ordered.slice(3, 6));
    const last = await page({ Limit: 3, After: keyOf('carol') });
    expect(named(last.Users)).toEqual(['DAVE', 'Zed']);
    expect(last.IsTruncated).toBe(false);
    expect(second.Users[2]).toEqual({ UserId: ids['carol'], UserName: 'carol', Path: '/eng/', Arn: `arn:aws:iam::${ACCOUNT_ID}:user/eng/carol` });
  });

  it('breaks a tie on the name by id: a key with the same name and a smaller id still shows that user, a larger one does not', async () => {
    const before = await page({ Limit: 2, After: { NameLower: 'bob', UserId: 'A' } });
    expect(named(before.Users)).toEqual(['Bob', 'carol']);
    const after = await page({ Limit: 2, After: { NameLower: 'bob', UserId: 'a' } });
    expect(named(after.Users)).toEqual(['carol', 'DAVE']);
    // A key no user has (a user renamed or deleted since the page that ended there).
    expect(named((await page({ Limit: 2, After: { NameLower: 'b', UserId: 'x' } })).Users)).toEqual(['Bob', 'carol']);
  });

  it('pages only the given ids, leaving out those it does not know', async () => {
    const only = ['Zed', 'Bob', 'a0'].map((name) => ids[name]);
    const first = await page({ Limit: 2, UserIds: [...only, 'AIDAUNKNOWNUNKNOWN123', ids['Bob']] });
    expect(named(first.Users)).toEqual(['a0', 'Bob']);
    expect(first.IsTruncated).toBe(true);
    const rest = await page({ Limit: 2, UserIds: only, After: keyOf('Bob') });
    expect(named(rest.Users)).toEqual(['Zed']);
    expect(rest.IsTruncated).toBe(false);
    expect(await page({ Limit: 5, UserIds: [] })).toEqual({ Users: [], IsTruncated: false });
  });

  it('ends a reply early, still truncated, when it would outgrow a bus message', async () => {
    const users = identity.service.get(UsersService);
    users.inNameOrderBytes = 300;
    try {
      const short = await page({ Limit: 8 });
      expect(short.Users.length).toBeGreaterThan(0);
      expect(short.Users.length).toBeLessThan(8);
      expect(short.IsTruncated).toBe(true);
      expect(named(short.Users)).toEqual(ordered.slice(0, short.Users.length));
    } finally {
      users.inNameOrderBytes = 800 * 1024;
    }
  });

  it('refuses a request outside the contract', async () => {
    expect((await failure(page({ Limit: 0 }))).code).toBe('ValidationError');
    expect((await failure(page({ Limit: 1001 }))).code).toBe('ValidationError');
    expect((await failure(page({ Limit: 1, After: { NameLower: '', UserId: 'x' } }))).code).toBe('ValidationError');
  });

  it('answers which ids it does not know, in the order given', async () => {
    const reply = await identity.bus.send(P.UnknownUsers, { UserIds: ['AIDAGONE2', ids['alice'], 'AIDAGONE1', ids['Zed'], 'AIDAGONE2'] });
    expect(reply.UserIds).toEqual(['AIDAGONE2', 'AIDAGONE1', 'AIDAGONE2']);
    expect((await identity.bus.send(P.UnknownUsers, { UserIds: [] })).UserIds).toEqual([]);
  });
});
