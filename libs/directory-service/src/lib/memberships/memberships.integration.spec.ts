import { DirectoryEvents, DirectoryPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { ACCOUNT, DirectoryHarness, failure, startDirectory } from '../../test-support/harness';

describeWithServices('directory memberships over NATS and PostgreSQL', () => {
  let h: DirectoryHarness;

  beforeAll(async () => {
    h = await startDirectory({}, [DirectoryEvents.MembershipAdded, DirectoryEvents.MembershipRemoved]);
  });

  afterAll(async () => {
    await h?.close();
  });

  const create = async (GroupName: string, Path?: string) => (await h.bus.send(P.CreateGroup, Path ? { GroupName, Path } : { GroupName })).Group;
  const add = (GroupName: string, UserName: string) => h.bus.send(P.AddUserToGroup, { GroupName, UserName });
  const remove = (GroupName: string, UserName: string) => h.bus.send(P.RemoveUserFromGroup, { GroupName, UserName });
  const groupNamesOf = async (UserName: string) => (await h.bus.send(P.ListGroupsForUser, { UserName })).Groups.map((g) => g.GroupName);

  describe('AddUserToGroup', () => {
    it('adds a user by name to a group by name (both regardless of case), seen by every read, and publishes the ids', async () => {
      const group = await create('Devs', '/eng/');
      const user = h.identity.create('Dora');
      await add('DEVS', 'dora');

      await expect(h.bus.send(P.ListGroupsForUser, { UserName: 'Dora' })).resolves.toEqual({ Groups: [group], IsTruncated: false });
      await expect(h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).resolves.toEqual({
        Groups: [{ GroupId: group.GroupId, GroupName: 'Devs', Path: '/eng/', Arn: `arn:aws:iam::${ACCOUNT}:group/eng/Devs` }],
      });
      expect((await h.bus.send(P.GetGroup, { GroupName: 'Devs' })).Users.map((u) => u.UserName)).toEqual(['Dora']);
      await h.events.waitFor(DirectoryEvents.MembershipAdded);
      expect(h.events.of(DirectoryEvents.MembershipAdded)).toContainEqual({ UserId: user.UserId, GroupId: group.GroupId });
    });

    it('takes a second add of the same member as success, storing and announcing it once', async () => {
      const group = await create('Twice');
      const user = h.identity.create('tom');
      await add('Twice', 'tom');
      await add('twice', 'TOM');
      await expect(h.sql('SELECT user_id FROM directory.memberships WHERE group_id = $1', [group.GroupId])).resolves.toEqual([{ user_id: user.UserId }]);
      await h.events.waitFor(DirectoryEvents.MembershipAdded, 2);
      await remove('Twice', 'tom');
      await h.events.waitFor(DirectoryEvents.MembershipRemoved);
      expect(h.events.of(DirectoryEvents.MembershipAdded).filter((e) => e.UserId === user.UserId)).toHaveLength(1);
    });

    it('answers NoSuchEntity in AWS wording for an unknown user, without touching the group', async () => {
      await create('Lonely');
      await expect(failure(add('Lonely', 'nobody'))).resolves.toEqual({ code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.' });
      await expect(h.bus.send(P.GetGroup, { GroupName: 'Lonely' })).resolves.toMatchObject({ Users: [] });
    });

    it('answers NoSuchEntity for a user that identity is deleting', async () => {
      await create('Late');
      const user = h.identity.create('leaving');
      user.State = 'deleting';
      await expect(failure(add('Late', 'leaving'))).resolves.toEqual({ code: 'NoSuchEntity', message: 'The user with name leaving cannot be found.' });
      await expect(h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).resolves.toEqual({ Groups: [] });
    });

    it('answers NoSuchEntity in AWS wording for an unknown group', async () => {
      h.identity.create('gina');
      await expect(failure(add('no-such-group', 'gina'))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The group with name no-such-group cannot be found.',
      });
    });

    it('answers ServiceUnavailable when identity does not answer, adding nothing', async () => {
      await create('Unreached');
      const dead = h.identity.create('dead-end');
      h.identity.beforeResolve = () => new Promise(() => undefined);
      try {
        const error = await failure(h.bus.send(P.AddUserToGroup, { GroupName: 'Unreached', UserName: 'dead-end' }, { timeoutMs: 8_000 }));
        expect(error.code).toBe('ServiceUnavailable');
        expect(error.message).toMatch(/^The identity service is unavailable/);
      } finally {
        h.identity.beforeResolve = undefined;
      }
      await expect(h.bus.send(P.GroupsOfUser, { UserId: dead.UserId })).resolves.toEqual({ Groups: [] });
    });
  });

  describe('no group in a group', () => {
    it('resolves a group name given where a user is expected among users, and fails NoSuchEntity', async () => {
      await create('Outer');
      await create('Inner');
      await expect(failure(add('Outer', 'Inner'))).resolves.toEqual({ code: 'NoSuchEntity', message: 'The user with name Inner cannot be found.' });
    });

    it('resolves a user name given where a group is expected among groups, and fails NoSuchEntity', async () => {
      h.identity.create('walter');
      h.identity.create('wendy');
      await expect(failure(add('walter', 'wendy'))).resolves.toEqual({ code: 'NoSuchEntity', message: 'The group with name walter cannot be found.' });
      await expect(failure(h.bus.send(P.GetGroup, { GroupName: 'walter' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
    });

    it('validates every input that names a group as a group name, and takes no other kind of member', async () => {
      for (const request of [
        { GroupName: 'Outer/Inner', UserName: 'wendy' },
        { GroupName: 'arn:aws:iam::123456789012:group/Inner', UserName: 'wendy' },
        { GroupName: '', UserName: 'wendy' },
      ]) {
        const error = await failure(h.bus.send(P.AddUserToGroup, request));
        expect(error.code).toBe('ValidationError');
        expect(error.message).toContain("at 'groupName'");
      }
      const extra = await failure(h.bus.send(P.AddUserToGroup, { GroupName: 'Outer', MemberGroupName: 'Inner' } as never));
      expect(extra.code).toBe('ValidationError');
      expect(extra.message).toContain("'MemberGroupName'");
      expect(Object.values(P).filter((pattern) => /group.*group|nest/i.test(pattern.replace(/^directory\./, '')))).toEqual([]);
    });
  });

  describe('the groups-per-user quota', () => {
    it("allows AWS's 10 groups per user, refuses the 11th with LimitExceeded, and still accepts a repeated add", async () => {
      const user = h.identity.create('busy-bee');
      for (let i = 1; i <= 11; i++) await create(`Quota-${i}`);
      for (let i = 1; i <= 10; i++) await add(`Quota-${i}`, 'busy-bee');
      await expect(failure(add('Quota-11', 'busy-bee'))).resolves.toEqual({
        code: 'LimitExceeded',
        message: 'Cannot exceed quota for GroupsPerUser: 10',
      });
      await add('Quota-3', 'busy-bee');
      await expect(h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).resolves.toMatchObject({ Groups: expect.any(Array) });
      expect((await h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).Groups).toHaveLength(10);
      await remove('Quota-1', 'busy-bee');
      await add('Quota-11', 'busy-bee');
    });

    it('holds exactly under concurrent adds of one user to many groups', async () => {
      const user = h.identity.create('racer');
      const names = Array.from({ length: 16 }, (_, i) => `Parallel-${i}`);
      for (const name of names) await create(name);
      const outcomes = await Promise.allSettled(names.map((name) => add(name, 'racer')));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code: string }).code] : []));
      expect(refused).toEqual(Array(6).fill('LimitExceeded'));
      expect((await h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).Groups).toHaveLength(10);
    });
  });

  describe('RemoveUserFromGroup', () => {
    it('removes a member, seen by the very next GroupsOfUser, ListGroupsForUser and GetGroup, and publishes the ids', async () => {
      const keep = await create('Keep');
      const drop = await create('Drop');
      const user = h.identity.create('rita');
      await add('Keep', 'rita');
      await add('Drop', 'rita');

      await remove('DROP', 'RITA');
      await expect(h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).resolves.toEqual({
        Groups: [{ GroupId: keep.GroupId, GroupName: 'Keep', Path: '/', Arn: keep.Arn }],
      });
      await expect(groupNamesOf('rita')).resolves.toEqual(['Keep']);
      await expect(h.bus.send(P.GetGroup, { GroupName: 'Drop' })).resolves.toMatchObject({ Users: [] });
      await h.events.waitFor(DirectoryEvents.MembershipRemoved);
      expect(h.events.of(DirectoryEvents.MembershipRemoved)).toContainEqual({ UserId: user.UserId, GroupId: drop.GroupId });
    });

    it('sees every removal at once, many times over', async () => {
      const user = h.identity.create('flip');
      await create('Flip');
      for (let i = 0; i < 25; i++) {
        await add('Flip', 'flip');
        expect((await h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).Groups).toHaveLength(1);
        await remove('Flip', 'flip');
        expect((await h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).Groups).toHaveLength(0);
        expect((await h.bus.send(P.ListGroupsForUser, { UserName: 'flip' })).Groups).toHaveLength(0);
      }
    });

    it('answers NoSuchEntity for an unknown group, an unknown user, and a user who is not a member', async () => {
      h.identity.create('nina');
      await create('NotHers');
      await expect(failure(remove('ghost-group', 'nina'))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The group with name ghost-group cannot be found.',
      });
      await expect(failure(remove('NotHers', 'ghost-user'))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The user with name ghost-user cannot be found.',
      });
      await expect(failure(remove('NotHers', 'nina'))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The user with name nina cannot be found.',
      });
    });

    it('removes the member of a user identity is deleting', async () => {
      const user = h.identity.create('departing');
      await create('Farewell');
      await add('Farewell', 'departing');
      user.State = 'deleting';
      await remove('Farewell', 'departing');
      await expect(h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).resolves.toEqual({ Groups: [] });
    });
  });

  describe('ListGroupsForUser', () => {
    it('lists a user’s groups by name regardless of case, page by page', async () => {
      h.identity.create('lister');
      for (const name of ['b-two', 'A-one', 'd-four', 'C-three']) {
        await create(name);
        await add(name, 'lister');
      }
      const first = await h.bus.send(P.ListGroupsForUser, { UserName: 'LISTER', MaxItems: 3 });
      expect(first.Groups.map((g) => g.GroupName)).toEqual(['A-one', 'b-two', 'C-three']);
      expect(first.IsTruncated).toBe(true);
      const second = await h.bus.send(P.ListGroupsForUser, { UserName: 'lister', MaxItems: 3, Marker: first.Marker });
      expect(second).toEqual({ Groups: [expect.objectContaining({ GroupName: 'd-four' })], IsTruncated: false });
    });

    it('answers an empty list for a user in no group, and NoSuchEntity for an unknown user', async () => {
      h.identity.create('loner');
      await expect(h.bus.send(P.ListGroupsForUser, { UserName: 'loner' })).resolves.toEqual({ Groups: [], IsTruncated: false });
      await expect(failure(h.bus.send(P.ListGroupsForUser, { UserName: 'phantom' }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The user with name phantom cannot be found.',
      });
      expect((await failure(h.bus.send(P.ListGroupsForUser, { UserName: 'bad name' }))).code).toBe('ValidationError');
    });
  });

  describe('immutable ids', () => {
    it('keeps memberships when the user or the group is renamed, and lists the current names', async () => {
      const user = h.identity.create('before-user');
      const group = await create('before-group');
      await add('before-group', 'before-user');

      h.identity.rename(user, 'after-user');
      await h.bus.send(P.UpdateGroup, { GroupName: 'before-group', NewGroupName: 'after-group' });

      await expect(groupNamesOf('after-user')).resolves.toEqual(['after-group']);
      const read = await h.bus.send(P.GetGroup, { GroupName: 'after-group' });
      expect(read.Users).toEqual([expect.objectContaining({ UserId: user.UserId, UserName: 'after-user', Arn: `arn:aws:iam::${ACCOUNT}:user/after-user` })]);
      await expect(h.sql('SELECT group_id, user_id FROM directory.memberships WHERE user_id = $1', [user.UserId])).resolves.toEqual([
        { group_id: group.GroupId, user_id: user.UserId },
      ]);
      await remove('after-group', 'after-user');
    });
  });

  describe('bulk reads (service-to-service)', () => {
    it('answers the groups of many users and the members of many groups, each in one call', async () => {
      const [u1, u2, u3] = ['bulk-1', 'bulk-2', 'bulk-3'].map((name) => h.identity.create(name));
      const g1 = await create('Bulk-A');
      const g2 = await create('Bulk-B');
      await add('Bulk-A', 'bulk-1');
      await add('Bulk-B', 'bulk-1');
      await add('Bulk-B', 'bulk-2');

      const { Groups } = await h.bus.send(P.GroupsOfUsers, { UserIds: [u1.UserId, u2.UserId, u3.UserId, 'AIDAUNKNOWN'] });
      expect(Object.keys(Groups).sort()).toEqual([u1.UserId, u2.UserId, u3.UserId, 'AIDAUNKNOWN'].sort());
      expect(Groups[u1.UserId].map((g) => g.GroupName)).toEqual(['Bulk-A', 'Bulk-B']);
      expect(Groups[u2.UserId]).toEqual([{ GroupId: g2.GroupId, GroupName: 'Bulk-B', Path: '/', Arn: g2.Arn }]);
      expect(Groups[u3.UserId]).toEqual([]);
      expect(Groups['AIDAUNKNOWN']).toEqual([]);

      const { Members } = await h.bus.send(P.MembersOfGroups, { GroupIds: [g1.GroupId, g2.GroupId, 'AGPAUNKNOWN'] });
      expect(Members).toEqual({ [g1.GroupId]: [u1.UserId], [g2.GroupId]: [u1.UserId, u2.UserId].sort() });
      await expect(h.bus.send(P.GroupsOfUsers, { UserIds: [] })).resolves.toEqual({ Groups: {} });
    });

    it('answers no groups (not an error) for an unknown user on the decision path', async () => {
      await expect(h.bus.send(P.GroupsOfUser, { UserId: 'AIDANOBODY' })).resolves.toEqual({ Groups: [] });
    });
  });
});
