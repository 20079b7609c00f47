import { IdentityEvents, IdentityPatterns as P, PayloadOf } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { ACCOUNT_ID, eventually, failure, IdentityUnderTest, listenToIdentityEvents, startIdentity } from '../../test-support/harness';

describeWithServices('identity users over NATS and PostgreSQL', () => {
  let identity: IdentityUnderTest;
  let events: Array<{ event: string; payload: unknown }>;
  let listener: { close(): Promise<void> };

  beforeAll(async () => {
    identity = await startIdentity();
    const listening = await listenToIdentityEvents(identity.transport);
    events = listening.events;
    listener = listening;
  });

  afterAll(async () => {
    await listener?.close();
    await identity?.close();
  });

  const bus = () => identity.bus;

  describe('CreateUser and GetUser', () => {
    it('creates a user with AWS shapes and reads it back by name regardless of case', async () => {
      const { User } = await bus().send(P.CreateUser, { UserName: 'Carol', Path: '/eng/', Tags: [{ Key: 'team', Value: 'core' }] });
      expect(User.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
      expect(User.Arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/eng/Carol`);
      expect(new Date(User.CreateDate).toISOString()).toBe(User.CreateDate);
      expect(User.Tags).toEqual([{ Key: 'team', Value: 'core' }]);
      expect(User.PasswordLastUsed).toBeUndefined();

      const read = await bus().send(P.GetUser, { UserName: 'CAROL' });
      expect(read.User).toEqual(User);
      expect(await eventually(() => events.some((e) => e.event === IdentityEvents.UserCreated && (e.payload as { UserId: string }).UserId === User.UserId))).toBe(true);
    });

    it('defaults the path to /', async () => {
      const { User } = await bus().send(P.CreateUser, { UserName: 'rooted' });
      expect(User.Path).toBe('/');
      expect(User.Arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/rooted`);
    });

    it('reads the caller when no name is given', async () => {
      const { User } = await bus().send(P.CreateUser, { UserName: 'self' });
      const read = await bus().send(P.GetUser, { Caller: { Type: 'user', UserId: User.UserId } });
      expect(read.User).toEqual(User);
      await expect(failure(bus().send(P.GetUser, { Caller: { Type: 'user', UserId: 'AIDAUNKNOWNUNKNOWN123' } }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The user with id AIDAUNKNOWNUNKNOWN123 cannot be found.',
      });
    });

    it('refuses a GetUser without a name or a caller, and a root caller (GetRootUser answers root)', async () => {
      expect(await failure(bus().send(P.GetUser, {}))).toEqual({
        code: 'ValidationError',
        message: "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
      });
      expect((await failure(bus().send(P.GetUser, { Caller: { Type: 'root' } } as never))).code).toBe('ValidationError');
    });

    it('answers the root user as AWS shows it to root', async () => {
      const { User } = await bus().send(P.GetRootUser, {});
      expect(User).toEqual({ UserId: ACCOUNT_ID, Arn: `arn:aws:iam::${ACCOUNT_ID}:root`, CreateDate: expect.any(String) });
      expect(Object.keys(User)).not.toContain('UserName');
    });

    it('refuses a second user whose name differs only by case', async () => {
      await bus().send(P.CreateUser, { UserName: 'dave' });
      await expect(failure(bus().send(P.CreateUser, { UserName: 'DAVE' }))).resolves.toEqual({
        code: 'EntityAlreadyExists',
        message: 'User with name DAVE already exists.',
      });
    });

    it('answers NoSuchEntity for an unknown user', async () => {
      await expect(failure(bus().send(P.GetUser, { UserName: 'nobody' }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The user with name nobody cannot be found.',
      });
    });

    it.each([
      ['a space', 'bad name', 'Member must satisfy regular expression pattern'],
      ['65 characters', 'x'.repeat(65), 'Member must have length less than or equal to 64'],
      ['an empty name', '', 'Member must have length greater than or equal to 1'],
    ])('refuses a name with %s as ValidationError', async (_case, name, reason) => {
      const error = await failure(bus().send(P.CreateUser, { UserName: name }));
      expect(error.code).toBe('ValidationError');
      expect(error.message).toContain(`at 'userName' failed to satisfy constraint: ${reason}`);
    });

    it.each([
      ['without a leading slash', 'eng/'],
      ['without a trailing slash', '/eng'],
      ['longer than 512 characters', `/${'a'.repeat(511)}/`],
    ])('refuses a path %s as ValidationError', async (_case, path) => {
      const error = await failure(bus().send(P.CreateUser, { UserName: 'pathy', Path: path }));
      expect(error.code).toBe('ValidationError');
      expect(error.message).toContain("at 'path' failed to satisfy constraint");
    });

    it('accepts the longest name and path', async () => {
      const name = `${'n'.repeat(60)}+=,.`;
      const path = `/${'p'.repeat(510)}/`;
      const { User } = await bus().send(P.CreateUser, { UserName: name, Path: path });
      expect(User.UserName).toHaveLength(64);
      expect(User.Path).toHaveLength(512);
    });

    it('refuses duplicate tag keys (regardless of case) and more than 50 tags', async () => {
      expect(
        await failure(bus().send(P.CreateUser, { UserName: 'tagdup', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })),
      ).toEqual({ code: 'InvalidInput', message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' });
      const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' }));
      const error = await failure(bus().send(P.CreateUser, { UserName: 'tagmany', Tags: tags }));
      expect(error.code).toBe('ValidationError');
      expect(error.message).toContain("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
    });

    it('refuses a message that is not the contract (unknown field, missing name)', async () => {
      const unknown = await failure(bus().send(P.CreateUser, { UserName: 'erin', Admin: true } as never));
      expect(unknown.code).toBe('ValidationError');
      const missing = await failure(bus().send(P.CreateUser, {} as never));
      expect(missing).toEqual({
        code: 'ValidationError',
        message: "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
      });
    });
  });

  describe('ListUsers', () => {
    beforeAll(async () => {
      for (const [name, path] of [
        ['list-b', '/list/'],
        ['List-A', '/list/'],
        ['list-c', '/list/sub/'],
        ['list-d', '/other/'],
      ]) {
        await bus().send(P.CreateUser, { UserName: name, Path: path, Tags: [{ Key: 'x', Value: 'y' }] });
      }
    });

    it('filters by path prefix and orders by name regardless of case, without tags', async () => {
      const page = await bus().send(P.ListUsers, { PathPrefix: '/list/' });
      expect(page.Users.map((u) => u.UserName)).toEqual(['List-A', 'list-b', 'list-c']);
      expect(page.IsTruncated).toBe(false);
      expect(page.Marker).toBeUndefined();
      expect(page.Users.every((u) => u.Tags === undefined)).toBe(true);
    });

    it('pages with an opaque marker until the end', async () => {
      const seen: string[] = [];
      let marker: string | undefined;
      do {
        const page = await bus().send(P.ListUsers, { PathPrefix: '/list/', MaxItems: 1, ...(marker ? { Marker: marker } : {}) });
        expect(page.Users).toHaveLength(1);
        seen.push(page.Users[0].UserName);
        marker = page.Marker;
        expect(page.IsTruncated).toBe(marker !== undefined);
      } while (marker);
      expect(seen).toEqual(['List-A', 'list-b', 'list-c']);
    });

    it('lists every user without a prefix, 100 per page by default', async () => {
      const page = await bus().send(P.ListUsers, {});
      expect(page.Users.length).toBeGreaterThanOrEqual(8);
      expect(page.Users.map((u) => u.UserName.toLowerCase())).toEqual([...page.Users.map((u) => u.UserName.toLowerCase())].sort());
    });

    it('refuses MaxItems outside 1–1000 and a marker it did not make', async () => {
      expect((await failure(bus().send(P.ListUsers, { MaxItems: 0 }))).message).toContain(
        "at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      expect((await failure(bus().send(P.ListUsers, { MaxItems: 1001 }))).code).toBe('ValidationError');
      expect((await failure(bus().send(P.ListUsers, { Marker: 'not-a-marker' }))).code).toBe('InvalidInput');
    });
  });

  describe('UpdateUser', () => {
    it('renames and moves a user, keeps its id, and publishes identity.user.renamed', async () => {
      const { User } = await bus().send(P.CreateUser, { UserName: 'oldname', Path: '/a/' });
      await bus().send(P.UpdateUser, { UserName: 'OLDNAME', NewUserName: 'NewName', NewPath: '/b/' });
      const read = await bus().send(P.GetUser, { UserName: 'newname' });
      expect(read.User).toMatchObject({ UserId: User.UserId, UserName: 'NewName', Path: '/b/', Arn: `arn:aws:iam::${ACCOUNT_ID}:user/b/NewName` });
      expect((await failure(bus().send(P.GetUser, { UserName: 'oldname' }))).code).toBe('NoSuchEntity');
      expect(
        await eventually(() =>
          events.some(
            (e) =>
              e.event === IdentityEvents.UserRenamed &&
              JSON.stringify(e.payload) === JSON.stringify({ UserId: User.UserId, UserName: 'NewName', Path: '/b/' } satisfies PayloadOf<typeof IdentityEvents.UserRenamed>),
          ),
        ),
      ).toBe(true);
    });

    it('refuses a new name taken regardless of case, but allows changing the case of its own name', async () => {
      await bus().send(P.CreateUser, { UserName: 'taken' });
      await bus().send(P.CreateUser, { UserName: 'mover' });
      expect(await failure(bus().send(P.UpdateUser, { UserName: 'mover', NewUserName: 'TAKEN' }))).toEqual({
        code: 'EntityAlreadyExists',
        message: 'User with name TAKEN already exists.',
      });
      await bus().send(P.UpdateUser, { UserName: 'mover', NewUserName: 'Mover' });
      expect((await bus().send(P.GetUser, { UserName: 'mover' })).User.UserName).toBe('Mover');
    });

    it('answers NoSuchEntity for an unknown user and refuses a user being deleted', async () => {
      expect((await failure(bus().send(P.UpdateUser, { UserName: 'ghost', NewPath: '/x/' }))).code).toBe('NoSuchEntity');
      await bus().send(P.CreateUser, { UserName: 'leaving' });
      await identity.sql("UPDATE identity.users SET state = 'deleting' WHERE name_lower = 'leaving'");
      expect(await failure(bus().send(P.UpdateUser, { UserName: 'leaving', NewPath: '/x/' }))).toEqual({
        code: 'EntityTemporarilyUnmodifiable',
        message: 'The user with name leaving cannot be modified while it is being deleted.',
      });
      expect((await failure(bus().send(P.TagUser, { UserName: 'leaving', Tags: [{ Key: 'a', Value: 'b' }] }))).code).toBe(
        'EntityTemporarilyUnmodifiable',
      );
      expect((await bus().send(P.GetUser, { UserName: 'leaving' })).User.UserName).toBe('leaving');
    });
  });

  describe('tags', () => {
    it('adds, replaces regardless of key case, lists in key order and removes tags', async () => {
      await bus().send(P.CreateUser, { UserName: 'tagged', Tags: [{ Key: 'Dept', Value: 'eng' }] });
      await bus().send(P.TagUser, {
        UserName: 'tagged',
        Tags: [
          { Key: 'dept', Value: 'ops' },
          { Key: 'cost', Value: '42' },
          { Key: 'Zone', Value: '' },
        ],
      });
      const listed = await bus().send(P.ListUserTags, { UserName: 'TAGGED' });
      expect(listed).toEqual({
        Tags: [
          { Key: 'cost', Value: '42' },
          { Key: 'dept', Value: 'ops' },
          { Key: 'Zone', Value: '' },
        ],
        IsTruncated: false,
      });
      const first = await bus().send(P.ListUserTags, { UserName: 'tagged', MaxItems: 2 });
      expect(first.Tags.map((t) => t.Key)).toEqual(['cost', 'dept']);
      const rest = await bus().send(P.ListUserTags, { UserName: 'tagged', Marker: first.Marker as string });
      expect(rest).toEqual({ Tags: [{ Key: 'Zone', Value: '' }], IsTruncated: false });
      // GetUser shows them as written: the re-tagged key in its place with the new case, then the new ones.
      expect((await bus().send(P.GetUser, { UserName: 'tagged' })).User.Tags).toEqual([
        { Key: 'dept', Value: 'ops' },
        { Key: 'cost', Value: '42' },
        { Key: 'Zone', Value: '' },
      ]);

      await bus().send(P.UntagUser, { UserName: 'tagged', TagKeys: ['DEPT', 'absent'] });
      expect((await bus().send(P.GetUser, { UserName: 'tagged' })).User.Tags).toEqual([
        { Key: 'cost', Value: '42' },
        { Key: 'Zone', Value: '' },
      ]);
    });

    it('refuses more than 50 tags in all, duplicate keys, bad keys and unknown users', async () => {
      await bus().send(P.CreateUser, { UserName: 'full', Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) });
      expect(await failure(bus().send(P.TagUser, { UserName: 'full', Tags: [{ Key: 'one-more', Value: 'v' }] }))).toEqual({
        code: 'LimitExceeded',
        message: 'The number of tags has reached the maximum limit.',
      });
      await bus().send(P.TagUser, { UserName: 'full', Tags: [{ Key: 'K0', Value: 'replaced' }] });
      expect(await failure(bus().send(P.TagUser, { UserName: 'full', Tags: [{ Key: 'x', Value: '1' }, { Key: 'X', Value: '2' }] }))).toEqual({
        code: 'InvalidInput',
        message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      });
      expect((await failure(bus().send(P.TagUser, { UserName: 'full', Tags: [{ Key: 'bad#key', Value: '1' }] }))).message).toContain(
        "at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern",
      );
      expect((await failure(bus().send(P.TagUser, { UserName: 'full', Tags: [{ Key: 'v', Value: 'x'.repeat(257) }] }))).code).toBe(
        'ValidationError',
      );
      expect((await failure(bus().send(P.TagUser, { UserName: 'full', Tags: [] }))).code).toBe('ValidationError');
      expect((await failure(bus().send(P.TagUser, { UserName: 'ghost', Tags: [{ Key: 'a', Value: 'b' }] }))).code).toBe('NoSuchEntity');
      expect((await failure(bus().send(P.UntagUser, { UserName: 'ghost', TagKeys: ['a'] }))).code).toBe('NoSuchEntity');
      expect((await failure(bus().send(P.ListUserTags, { UserName: 'ghost' }))).code).toBe('NoSuchEntity');
    });

    it('keeps the 50-tag limit when many clients tag one user at once', async () => {
      await bus().send(P.CreateUser, { UserName: 'crowded' });
      // Ten clients add six tags each: eight fit (48 tags), the last two would pass 50.
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, client) =>
          bus().send(P.TagUser, { UserName: 'crowded', Tags: Array.from({ length: 6 }, (_, i) => ({ Key: `c${client}-${i}`, Value: 'v' })) }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(8);
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code: string; message: string }] : []));
      expect(refused.map((e) => [e.code, e.message])).toEqual([
        ['LimitExceeded', 'The number of tags has reached the maximum limit.'],
        ['LimitExceeded', 'The number of tags has reached the maximum limit.'],
      ]);
      const { Tags } = await bus().send(P.ListUserTags, { UserName: 'crowded' });
      expect(Tags).toHaveLength(48);
      // Every client's six tags went in together or not at all.
      const perClient = new Map<string, number>();
      for (const tag of Tags) perClient.set(tag.Key.split('-')[0], (perClient.get(tag.Key.split('-')[0]) ?? 0) + 1);
      expect([...perClient.values()]).toEqual(Array(8).fill(6));
    });
  });

  describe('ResolveUser and ResolveUsers', () => {
    it('resolves by name or id with state and tags', async () => {
      const { User } = await bus().send(P.CreateUser, { UserName: 'resolvable', Path: '/r/', Tags: [{ Key: 't', Value: 'v' }] });
      const expected = { UserId: User.UserId, UserName: 'resolvable', Path: '/r/', Arn: User.Arn, State: 'active', Tags: [{ Key: 't', Value: 'v' }], CreateDate: User.CreateDate };
      await expect(bus().send(P.ResolveUser, { UserName: 'RESOLVABLE' })).resolves.toEqual(expected);
      await expect(bus().send(P.ResolveUser, { UserId: User.UserId })).resolves.toEqual(expected);
      expect((await failure(bus().send(P.ResolveUser, { UserId: 'AIDANOPE' }))).code).toBe('NoSuchEntity');
      expect((await failure(bus().send(P.ResolveUser, { UserName: 'nope' }))).code).toBe('NoSuchEntity');
    });

    it('resolves many ids at once, leaving unknown ids out', async () => {
      const a = (await bus().send(P.CreateUser, { UserName: 'bulk-a' })).User;
      const b = (await bus().send(P.CreateUser, { UserName: 'bulk-b' })).User;
      const { Users } = await bus().send(P.ResolveUsers, { UserIds: [a.UserId, 'AIDAUNKNOWN', b.UserId, a.UserId] });
      expect(Users.map((u) => u.UserName).sort()).toEqual(['bulk-a', 'bulk-b']);
      await expect(bus().send(P.ResolveUsers, { UserIds: [] })).resolves.toEqual({ Users: [] });
    });
  });

  it('answers its health check with its database', async () => {
    await expect(bus().send(P.Health, {})).resolves.toEqual({ service: 'identity', database: 'up' });
  });
});
