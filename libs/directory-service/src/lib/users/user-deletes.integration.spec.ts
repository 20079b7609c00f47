import { DirectoryEvents, DirectoryPatterns as P, IdentityEvents } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { DirectoryHarness, failure, FakeUser, startDirectory } from '../../test-support/harness';

describeWithServices('directory: the user delete protocol over NATS and PostgreSQL', () => {
  let h: DirectoryHarness;

  beforeAll(async () => {
    h = await startDirectory({}, [DirectoryEvents.MembershipRemoved]);
  });

  afterAll(async () => {
    await h?.close();
  });

  const create = async (GroupName: string) => (await h.bus.send(P.CreateGroup, { GroupName })).Group;
  const add = (GroupName: string, UserName: string) => h.bus.send(P.AddUserToGroup, { GroupName, UserName });
  const tombstoneOf = async (userId: string) => h.sql('SELECT user_id FROM directory.user_tombstones WHERE user_id = $1', [userId]);

  /** What identity's DeleteUser does first: mark the user, then ask directory. */
  const beginDelete = async (user: FakeUser) => {
    user.State = 'deleting';
    return (await h.bus.send(P.BeginUserDelete, { UserId: user.UserId })).MembershipCount;
  };

  it('counts the memberships that remain, records a tombstone, and is idempotent', async () => {
    const user = h.identity.create('counted');
    await create('Count-1');
    await create('Count-2');
    await add('Count-1', 'counted');
    await add('Count-2', 'counted');
    await expect(beginDelete(user)).resolves.toBe(2);
    await expect(h.bus.send(P.BeginUserDelete, { UserId: user.UserId })).resolves.toEqual({ MembershipCount: 2 });
    await expect(tombstoneOf(user.UserId)).resolves.toHaveLength(1);
    await expect(h.bus.send(P.BeginUserDelete, { UserId: 'AIDANEVERSEEN' })).resolves.toEqual({ MembershipCount: 0 });
  });

  it('refuses an add that started before the delete began but reached the database after it', async () => {
    const user = h.identity.create('overtaken');
    await create('Overtaken');
    // Identity answers "active", then the delete begins before the add's transaction.
    h.identity.beforeResolve = async (resolved) => {
      if (resolved.UserId !== user.UserId) return;
      h.identity.beforeResolve = undefined;
      await beginDelete(user);
      resolved.State = 'active';
    };
    await expect(failure(add('Overtaken', 'overtaken'))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name overtaken cannot be found.',
    });
    await expect(h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).resolves.toEqual({ Groups: [] });
  });

  it('accepts adds again once the delete is cancelled, and cancelling twice is harmless', async () => {
    const user = h.identity.create('reprieved');
    await create('Reprieve');
    h.identity.beforeResolve = async (resolved) => {
      if (resolved.UserId !== user.UserId) return;
      h.identity.beforeResolve = undefined;
      await beginDelete(user);
      resolved.State = 'active';
    };
    expect((await failure(add('Reprieve', 'reprieved'))).code).toBe('NoSuchEntity');

    // Identity calls the delete off: the user is active again and the tombstone goes.
    user.State = 'active';
    await h.bus.send(P.CancelUserDelete, { UserId: user.UserId });
    await h.bus.send(P.CancelUserDelete, { UserId: user.UserId });
    await expect(tombstoneOf(user.UserId)).resolves.toEqual([]);
    await add('Reprieve', 'reprieved');
    expect((await h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).Groups.map((g) => g.GroupName)).toEqual(['Reprieve']);
  });

  it('clears a tombstone whose cancel never arrived once identity answers the user is active again', async () => {
    const user = h.identity.create('lost-cancel');
    await create('Lost');
    await expect(beginDelete(user)).resolves.toBe(0);
    // Identity called the delete off but its CancelUserDelete was lost.
    user.State = 'active';
    await add('Lost', 'lost-cancel');
    await expect(tombstoneOf(user.UserId)).resolves.toEqual([]);
    await expect(beginDelete(user)).resolves.toBe(1);
  });

  it('never acknowledges an add that a concurrent begin-delete did not count', async () => {
    for (let i = 0; i < 30; i++) {
      const user = h.identity.create(`contender-${i}`);
      await create(`Contest-${i}`);
      // The delete starts a little later each round, so the two meet at every step of the add.
      const later = async () => {
        await new Promise((resolve) => setTimeout(resolve, i % 8));
        return beginDelete(user);
      };
      const [added, counted] = await Promise.allSettled([add(`Contest-${i}`, user.UserName), later()]);
      if (counted.status !== 'fulfilled') throw counted.reason;
      if (added.status === 'fulfilled') {
        expect(counted.value).toBe(1);
      } else {
        expect((added.reason as { code: string }).code).toBe('NoSuchEntity');
        expect(counted.value).toBe(0);
        await expect(h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).resolves.toEqual({ Groups: [] });
      }
    }
  });

  it('drops the memberships of a deleted user on identity.user.deleted, keeps its tombstone, and takes the event twice', async () => {
    const user = h.identity.create('gone');
    const a = await create('Gone-A');
    const b = await create('Gone-B');
    await add('Gone-A', 'gone');
    await add('Gone-B', 'gone');
    h.identity.users.delete(user.UserId);

    await h.bus.emit(IdentityEvents.UserDeleted, { UserId: user.UserId, UserName: 'gone' });
    await h.events.waitFor(DirectoryEvents.MembershipRemoved, 2);
    await h.bus.emit(IdentityEvents.UserDeleted, { UserId: user.UserId, UserName: 'gone' });

    await expect(h.bus.send(P.GroupsOfUser, { UserId: user.UserId })).resolves.toEqual({ Groups: [] });
    await expect(h.bus.send(P.MembersOfGroups, { GroupIds: [a.GroupId, b.GroupId] })).resolves.toEqual({
      Members: { [a.GroupId]: [], [b.GroupId]: [] },
    });
    await expect(tombstoneOf(user.UserId)).resolves.toHaveLength(1);
    expect(h.events.of(DirectoryEvents.MembershipRemoved).filter((e) => e.UserId === user.UserId)).toEqual(
      expect.arrayContaining([
        { UserId: user.UserId, GroupId: a.GroupId },
        { UserId: user.UserId, GroupId: b.GroupId },
      ]),
    );
    // A group it was in can now be deleted.
    await h.bus.send(P.DeleteGroup, { GroupName: 'Gone-A' });
  });

  it('ignores a malformed identity.user.deleted event and keeps serving', async () => {
    await h.bus.emit(IdentityEvents.UserDeleted, { UserName: 'no-id' } as never);
    await expect(h.bus.send(P.Health, {})).resolves.toEqual({ service: 'directory', database: 'up' });
  });

  it('validates the user id of begin and cancel', async () => {
    expect((await failure(h.bus.send(P.BeginUserDelete, { UserId: '' }))).code).toBe('ValidationError');
    expect((await failure(h.bus.send(P.CancelUserDelete, {} as never))).code).toBe('ValidationError');
  });
});
