import { DirectoryEvents, DirectoryPatterns as P, IamError } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { ACCOUNT, DirectoryHarness, failure, startDirectory } from '../../test-support/harness';

describeWithServices('directory groups over NATS and PostgreSQL', () => {
  let h: DirectoryHarness;

  beforeAll(async () => {
    h = await startDirectory({}, [DirectoryEvents.GroupCreated, DirectoryEvents.GroupUpdated, DirectoryEvents.GroupDeleted]);
  });

  afterAll(async () => {
    await h?.close();
  });

  const create = (GroupName: string, Path?: string) => h.bus.send(P.CreateGroup, Path ? { GroupName, Path } : { GroupName });
  const add = (GroupName: string, UserName: string) => h.bus.send(P.AddUserToGroup, { GroupName, UserName });

  describe('CreateGroup', () => {
    it('creates a group in AWS shapes, with path / by default, and publishes directory.group.created', async () => {
      const { Group } = await create('Admins');
      expect(Group.GroupId).toMatch(/^AGPA[A-Z0-9]{17}$/);
      expect(Group).toMatchObject({ GroupName: 'Admins', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/Admins` });
      expect(new Date(Group.CreateDate).toISOString()).toBe(Group.CreateDate);

      const { Group: nested } = await create('Builders', '/eng/ci/');
      expect(nested.Arn).toBe(`arn:aws:iam::${ACCOUNT}:group/eng/ci/Builders`);

      await h.events.waitFor(DirectoryEvents.GroupCreated, 2);
      expect(h.events.of(DirectoryEvents.GroupCreated)).toEqual(
        expect.arrayContaining([{ GroupId: Group.GroupId, GroupName: 'Admins', Path: '/' }]),
      );
    });

    it('refuses a name taken regardless of case with EntityAlreadyExists', async () => {
      await create('Auditors');
      await expect(failure(create('AUDITORS'))).resolves.toEqual({
        code: 'EntityAlreadyExists',
        message: 'Group with name AUDITORS already exists.',
      });
    });

    it.each([
      ['a space', { GroupName: 'bad name' }, "at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"],
      ['129 characters', { GroupName: 'g'.repeat(129) }, "at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128"],
      ['an empty name', { GroupName: '' }, "at 'groupName' failed to satisfy constraint: Member must have length greater than or equal to 1"],
      ['a path without slashes', { GroupName: 'ok', Path: 'eng' }, "Value 'eng' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern"],
      ['a path with a space', { GroupName: 'ok', Path: '/a b/' }, "at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ])('refuses %s with ValidationError', async (_case, request, reason) => {
      const error = await failure(h.bus.send(P.CreateGroup, request));
      expect(error.code).toBe('ValidationError');
      expect(error.message).toContain(reason);
    });

    it('accepts a name of 128 characters with every allowed sign', async () => {
      const name = `a_+=,.@-${'x'.repeat(120)}`;
      const { Group } = await create(name);
      expect(Group.GroupName).toBe(name);
    });

    it('refuses a message that is not the contract (unknown field, missing name)', async () => {
      const unknown = await failure(h.bus.send(P.CreateGroup, { GroupName: 'x1', Members: ['bob'] } as never));
      expect(unknown.code).toBe('ValidationError');
      await expect(failure(h.bus.send(P.CreateGroup, {} as never))).resolves.toEqual({
        code: 'ValidationError',
        message: "1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null",
      });
    });
  });

  describe('GetGroup', () => {
    it('answers the group and its members as AWS users, resolving each page with one bulk call to identity', async () => {
      const { Group } = await create('Readers', '/ro/');
      const users = ['ann', 'ben', 'cat', 'dan', 'eve'].map((name) => h.identity.create(name, '/people/'));
      for (const user of users) await add('readers', user.UserName);

      h.identity.bulkCalls.length = 0;
      const first = await h.bus.send(P.GetGroup, { GroupName: 'READERS', MaxItems: 2 });
      expect(first.Group).toEqual(Group);
      expect(first.IsTruncated).toBe(true);
      expect(first.Users).toEqual([users[0], users[1]].map((u) => ({ Path: '/people/', UserName: u.UserName, UserId: u.UserId, Arn: u.Arn, CreateDate: u.CreateDate })));

      const second = await h.bus.send(P.GetGroup, { GroupName: 'Readers', MaxItems: 2, Marker: first.Marker });
      const third = await h.bus.send(P.GetGroup, { GroupName: 'Readers', MaxItems: 2, Marker: second.Marker });
      expect(second.IsTruncated).toBe(true);
      expect(third.IsTruncated).toBe(false);
      expect(third.Marker).toBeUndefined();
      const listed = [...first.Users, ...second.Users, ...third.Users].map((u) => u.UserId);
      expect(listed).toEqual(users.map((u) => u.UserId).sort());
      expect(h.identity.bulkCalls).toHaveLength(3);
      expect(h.identity.bulkCalls.map((ids) => ids.length)).toEqual([2, 2, 1]);
    });

    it('lists a group without members with no call to identity and 100 members by default', async () => {
      await create('Empty');
      h.identity.bulkCalls.length = 0;
      await expect(h.bus.send(P.GetGroup, { GroupName: 'empty' })).resolves.toMatchObject({ Users: [], IsTruncated: false });
      expect(h.identity.bulkCalls).toHaveLength(0);
    });

    it('answers NoSuchEntity in AWS wording for an unknown group', async () => {
      await expect(failure(h.bus.send(P.GetGroup, { GroupName: 'nobody-here' }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The group with name nobody-here cannot be found.',
      });
    });

    it('refuses a marker it did not issue with InvalidInput', async () => {
      await create('Markers');
      for (const marker of ['not-a-marker', Buffer.from(JSON.stringify(['groups', 'x'])).toString('base64url')]) {
        const error = await failure(h.bus.send(P.GetGroup, { GroupName: 'Markers', Marker: marker }));
        expect(error.code).toBe('InvalidInput');
      }
    });

    it('refuses MaxItems outside 1..1000 with ValidationError', async () => {
      const error = await failure(h.bus.send(P.GetGroup, { GroupName: 'Markers', MaxItems: 0 }));
      expect(error).toEqual({
        code: 'ValidationError',
        message: "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
      });
    });
  });

  describe('ListGroups', () => {
    it('lists by path prefix in name order regardless of case, page by page without gaps or repeats', async () => {
      const names = ['zeta', 'Alpha', 'mu', 'Beta', 'kappa'];
      for (const name of names) await create(`L-${name}`, '/listing/');
      await create('L-outside', '/elsewhere/');

      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await h.bus.send(P.ListGroups, { PathPrefix: '/listing/', MaxItems: 2, ...(marker ? { Marker: marker } : {}) });
        seen.push(...page.Groups.map((g) => g.GroupName));
        marker = page.IsTruncated ? page.Marker : undefined;
        if (page.IsTruncated) expect(page.Marker).toEqual(expect.any(String));
        pages += 1;
      } while (marker);
      expect(pages).toBe(3);
      expect(seen).toEqual(['L-Alpha', 'L-Beta', 'L-kappa', 'L-mu', 'L-zeta']);
    });

    it('lists every group without a prefix, and matches prefixes literally', async () => {
      const all = await h.bus.send(P.ListGroups, {});
      expect(all.Groups.map((g) => g.GroupName)).toEqual(expect.arrayContaining(['Admins', 'L-outside', 'Builders']));
      expect(all.Groups.every((g) => g.Arn === `arn:aws:iam::${ACCOUNT}:group${g.Path}${g.GroupName}`)).toBe(true);
      const nested = await h.bus.send(P.ListGroups, { PathPrefix: '/eng/' });
      expect(nested.Groups.map((g) => g.GroupName)).toEqual(['Builders']);
      await expect(h.bus.send(P.ListGroups, { PathPrefix: '/e_g/' })).resolves.toEqual({ Groups: [], IsTruncated: false });
    });

    it('refuses a bad prefix with ValidationError and a marker of another listing with InvalidInput', async () => {
      expect((await failure(h.bus.send(P.ListGroups, { PathPrefix: 'listing' }))).code).toBe('ValidationError');
      const members = Buffer.from(JSON.stringify(['members', 'AIDA'])).toString('base64url');
      expect((await failure(h.bus.send(P.ListGroups, { Marker: members }))).code).toBe('InvalidInput');
    });
  });

  describe('UpdateGroup', () => {
    it('renames and moves a group keeping its id and members, and publishes directory.group.updated', async () => {
      const { Group } = await create('Ops');
      const user = h.identity.create('oscar');
      await add('Ops', 'oscar');

      await h.bus.send(P.UpdateGroup, { GroupName: 'ops', NewGroupName: 'Operations', NewPath: '/infra/' });
      const read = await h.bus.send(P.GetGroup, { GroupName: 'operations' });
      expect(read.Group).toEqual({
        ...Group,
        GroupName: 'Operations',
        Path: '/infra/',
        Arn: `arn:aws:iam::${ACCOUNT}:group/infra/Operations`,
      });
      expect(read.Users.map((u) => u.UserId)).toEqual([user.UserId]);
      await expect(h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).resolves.toEqual({
        Groups: [{ GroupId: Group.GroupId, GroupName: 'Operations', Path: '/infra/', Arn: `arn:aws:iam::${ACCOUNT}:group/infra/Operations` }],
      });
      expect((await failure(h.bus.send(P.GetGroup, { GroupName: 'Ops' }))).code).toBe('NoSuchEntity');
      await h.events.waitFor(DirectoryEvents.GroupUpdated);
      expect(h.events.of(DirectoryEvents.GroupUpdated)).toContainEqual({ GroupId: Group.GroupId, GroupName: 'Operations', Path: '/infra/' });
    });

    it('changes only the case of its own name, and only the path', async () => {
      const { Group } = await create('casey');
      await h.bus.send(P.UpdateGroup, { GroupName: 'casey', NewGroupName: 'Casey' });
      await h.bus.send(P.UpdateGroup, { GroupName: 'casey', NewPath: '/moved/' });
      await expect(h.bus.send(P.ResolveGroup, { GroupId: Group.GroupId })).resolves.toEqual({
        GroupId: Group.GroupId,
        GroupName: 'Casey',
        Path: '/moved/',
        Arn: `arn:aws:iam::${ACCOUNT}:group/moved/Casey`,
      });
      await h.bus.send(P.UpdateGroup, { GroupName: 'Casey' });
    });

    it('refuses a new name taken by another group regardless of case with EntityAlreadyExists', async () => {
      await create('first-g');
      await create('second-g');
      await expect(failure(h.bus.send(P.UpdateGroup, { GroupName: 'first-g', NewGroupName: 'SECOND-G' }))).resolves.toEqual({
        code: 'EntityAlreadyExists',
        message: 'Group with name SECOND-G already exists.',
      });
      await expect(h.bus.send(P.GetGroup, { GroupName: 'first-g' })).resolves.toMatchObject({ Group: { GroupName: 'first-g' } });
    });

    it('answers NoSuchEntity for an unknown group and ValidationError for a bad new name', async () => {
      await expect(failure(h.bus.send(P.UpdateGroup, { GroupName: 'ghost', NewPath: '/x/' }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The group with name ghost cannot be found.',
      });
      const bad = await failure(h.bus.send(P.UpdateGroup, { GroupName: 'first-g', NewGroupName: 'no/slash' }));
      expect(bad.code).toBe('ValidationError');
      expect(bad.message).toContain("at 'newGroupName'");
    });
  });

  describe('DeleteGroup', () => {
    it('deletes a group without members or policies and publishes directory.group.deleted', async () => {
      const { Group } = await create('Doomed');
      await h.bus.send(P.DeleteGroup, { GroupName: 'DOOMED' });
      expect((await failure(h.bus.send(P.GetGroup, { GroupName: 'Doomed' }))).code).toBe('NoSuchEntity');
      expect(h.authorization.begun.has(Group.GroupId)).toBe(true);
      await h.events.waitFor(DirectoryEvents.GroupDeleted);
      expect(h.events.of(DirectoryEvents.GroupDeleted)).toContainEqual({ GroupId: Group.GroupId, GroupName: 'Doomed' });
      // The name is free again, for a new group with a new id.
      const again = await create('Doomed');
      expect(again.Group.GroupId).not.toBe(Group.GroupId);
    });

    it('answers DeleteConflict while the group has members, without asking authorization', async () => {
      const { Group } = await create('Crowded');
      h.identity.create('carl');
      await add('Crowded', 'carl');
      await expect(failure(h.bus.send(P.DeleteGroup, { GroupName: 'Crowded' }))).resolves.toEqual({
        code: 'DeleteConflict',
        message: 'Cannot delete entity, must remove users from group first.',
      });
      expect(h.authorization.begun.has(Group.GroupId)).toBe(false);
      await h.bus.send(P.RemoveUserFromGroup, { GroupName: 'Crowded', UserName: 'carl' });
      await h.bus.send(P.DeleteGroup, { GroupName: 'Crowded' });
    });

    it.each([
      ['attached', { attached: 2, inline: 0 }, 'Cannot delete entity, must detach all policies first.'],
      ['inline', { attached: 0, inline: 1 }, 'Cannot delete entity, must delete policies first.'],
    ])('answers DeleteConflict while %s policies remain, and takes the marks back on both sides', async (kind, counts, message) => {
      const { Group } = await create(`Governed-${kind}`);
      h.authorization.policies.set(Group.GroupId, counts);
      await expect(failure(h.bus.send(P.DeleteGroup, { GroupName: Group.GroupName }))).resolves.toEqual({ code: 'DeleteConflict', message });
      expect(h.authorization.begun.has(Group.GroupId)).toBe(false);
      expect(h.authorization.cancelled).toContain(Group.GroupId);
      // Still there and usable.
      h.identity.create(`member-${kind}`);
      await add(Group.GroupName, `member-${kind}`);
      await expect(h.bus.send(P.GetGroup, { GroupName: Group.GroupName })).resolves.toMatchObject({ Users: [{ UserName: `member-${kind}` }] });
    });

    it('answers ServiceUnavailable when authorization fails, deleting nothing', async () => {
      const { Group } = await create('Unlucky');
      h.authorization.failWith = new IamError('ServiceFailure', 'The request failed because of an internal error.');
      try {
        const error = await failure(h.bus.send(P.DeleteGroup, { GroupName: 'Unlucky' }));
        expect(error.code).toBe('ServiceUnavailable');
        expect(error.message).toMatch(/^The authorization service is unavailable/);
      } finally {
        h.authorization.failWith = undefined;
      }
      expect(h.authorization.cancelled).toContain(Group.GroupId);
      h.identity.create('ursula');
      await add('Unlucky', 'ursula');
      await h.bus.send(P.RemoveUserFromGroup, { GroupName: 'Unlucky', UserName: 'ursula' });
      await h.bus.send(P.DeleteGroup, { GroupName: 'Unlucky' });
    });

    it('refuses adds, updates and other deletes of the group while its delete is under way', async () => {
      await create('Busy');
      h.identity.create('betty');
      let release!: () => void;
      h.authorization.gate = new Promise<void>((resolve) => (release = resolve));
      const received = h.authorization.nextBegin();
      const deleting = h.bus.send(P.DeleteGroup, { GroupName: 'Busy' });
      try {
        await received;
        const expected = { code: 'EntityTemporarilyUnmodifiable', message: 'The group with name Busy is being deleted; try again later.' };
        await expect(failure(add('Busy', 'betty'))).resolves.toEqual(expected);
        await expect(failure(h.bus.send(P.UpdateGroup, { GroupName: 'Busy', NewPath: '/x/' }))).resolves.toEqual(expected);
        await expect(failure(h.bus.send(P.DeleteGroup, { GroupName: 'Busy' }))).resolves.toEqual(expected);
      } finally {
        h.authorization.gate = undefined;
        release();
      }
      await deleting;
      expect((await failure(h.bus.send(P.GetGroup, { GroupName: 'Busy' }))).code).toBe('NoSuchEntity');
    });

    it('lets the mark of a delete that never finished lapse (a crashed replica), and not before', async () => {
      await create('Stuck');
      h.identity.create('sam');
      await h.sql("UPDATE directory.groups SET state = 'deleting', delete_token = 'crashed', deleting_until = now() + interval '1 hour' WHERE name = 'Stuck'");
      expect((await failure(add('Stuck', 'sam'))).code).toBe('EntityTemporarilyUnmodifiable');
      await h.sql("UPDATE directory.groups SET deleting_until = now() - interval '1 second' WHERE name = 'Stuck'");
      await add('Stuck', 'sam');
      await h.bus.send(P.UpdateGroup, { GroupName: 'Stuck', NewPath: '/recovered/' });
      await h.bus.send(P.RemoveUserFromGroup, { GroupName: 'Stuck', UserName: 'sam' });
      await h.bus.send(P.DeleteGroup, { GroupName: 'Stuck' });
      expect((await failure(h.bus.send(P.GetGroup, { GroupName: 'Stuck' }))).code).toBe('NoSuchEntity');
    });

    it('answers NoSuchEntity for an unknown group', async () => {
      await expect(failure(h.bus.send(P.DeleteGroup, { GroupName: 'never-was' }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The group with name never-was cannot be found.',
      });
    });
  });

  describe('ResolveGroup (service-to-service)', () => {
    it('resolves a group by name regardless of case, or by id', async () => {
      const { Group } = await create('Resolvable', '/r/');
      const ref = { GroupId: Group.GroupId, GroupName: 'Resolvable', Path: '/r/', Arn: Group.Arn };
      await expect(h.bus.send(P.ResolveGroup, { GroupName: 'RESOLVABLE' })).resolves.toEqual(ref);
      await expect(h.bus.send(P.ResolveGroup, { GroupId: Group.GroupId })).resolves.toEqual(ref);
    });

    it('answers NoSuchEntity for an unknown name or id, and validates a group name as a group name', async () => {
      await expect(failure(h.bus.send(P.ResolveGroup, { GroupName: 'unknown' }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The group with name unknown cannot be found.',
      });
      await expect(failure(h.bus.send(P.ResolveGroup, { GroupId: 'AGPA00000000000000000' }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The group with id AGPA00000000000000000 cannot be found.',
      });
      const bad = await failure(h.bus.send(P.ResolveGroup, { GroupName: 'not a name' }));
      expect(bad.code).toBe('ValidationError');
      expect(bad.message).toContain("at 'groupName'");
      expect((await failure(h.bus.send(P.ResolveGroup, {} as never))).message).toContain("Value null at 'groupName'");
      expect((await failure(h.bus.send(P.ResolveGroup, { GroupName: 'a', GroupId: 'b' } as never))).code).toBe('ValidationError');
    });
  });

  it('answers its health check with its database', async () => {
    await expect(h.bus.send(P.Health, {})).resolves.toEqual({ service: 'directory', database: 'up' });
  });
});
