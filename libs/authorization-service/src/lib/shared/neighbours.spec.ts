import { DirectoryPatterns, IamError } from '@iam/contracts';
import { FakeIdentity, inProcessTransport, startStubService, testBusClient } from '@iam/testing';
import { FakeDirectory } from '../../test-support/harness';
import { BULK_CHUNK, DirectoryGroups, IdentityUsers } from './neighbours';

/**
 * The neighbours against fakes that answer as identity's and directory's
 * contracts say: bulk calls go in requests of at most BULK_CHUNK ids and
 * their replies are merged; the owners' errors come through as they are.
 */
describe('authorization’s neighbours', () => {
  const closers: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const closer of closers.splice(0)) await closer.close();
  });

  async function start() {
    const transport = inProcessTransport();
    const identity = new FakeIdentity();
    const directory = new FakeDirectory();
    const asked: Record<string, number[]> = { groupsOfUsers: [], membersOfGroups: [] };
    const handlers = directory.handlers();
    closers.push(await startStubService(transport, 'identity', identity.handlers()));
    closers.push(
      await startStubService(transport, 'directory', {
        ...handlers,
        [DirectoryPatterns.GroupsOfUsers]: (request) => (asked['groupsOfUsers'].push(request.UserIds.length), handlers[DirectoryPatterns.GroupsOfUsers](request)),
        [DirectoryPatterns.MembersOfGroups]: (request) => (asked['membersOfGroups'].push(request.GroupIds.length), handlers[DirectoryPatterns.MembersOfGroups](request)),
      }),
    );
    const bus = await testBusClient(transport);
    closers.push(bus);
    return { identity, directory, asked, users: new IdentityUsers(bus), groups: new DirectoryGroups(bus) };
  }

  it('resolves users by name and, in chunks, by id, leaving out unknown ids', async () => {
    const { identity, users } = await start();
    const created = Array.from({ length: BULK_CHUNK * 2 + 5 }, (_, i) => identity.create(`user${i}`));
    expect(await users.byName('USER7')).toEqual(created[7]);
    const found = await users.byIds([...created.map((user) => user.UserId), 'AIDAUNKNOWN0000000000']);
    expect(found.map((user) => user.UserId).sort()).toEqual(created.map((user) => user.UserId).sort());
    expect(identity.bulkCalls.map((ids) => ids.length)).toEqual([BULK_CHUNK, BULK_CHUNK, 6]);
    await expect(users.byName('nobody')).rejects.toMatchObject({ code: 'NoSuchEntity' });
  });

  it('resolves groups by name and id and reads memberships, in chunks for many ids', async () => {
    const { directory, asked, groups } = await start();
    const admins = directory.create('Admins');
    const readers = directory.create('Readers', '/team/');
    const userIds = Array.from({ length: BULK_CHUNK + 1 }, (_, i) => `AIDA${String(i).padStart(17, '0')}`);
    for (const id of userIds) directory.add(id, admins.GroupId);
    directory.add(userIds[0], readers.GroupId);

    expect(await groups.byName('admins')).toEqual(admins);
    expect(await groups.byId(readers.GroupId)).toEqual(readers);
    expect(await groups.groupsOfUser(userIds[0])).toEqual([admins, readers]);
    const ofUsers = await groups.groupsOfUsers(userIds);
    expect(Object.keys(ofUsers)).toHaveLength(userIds.length);
    expect(ofUsers[userIds[0]]).toEqual([admins, readers]);
    expect(ofUsers[userIds[BULK_CHUNK]]).toEqual([admins]);
    expect(asked['groupsOfUsers']).toEqual([BULK_CHUNK, 1]);
    const members = await groups.membersOfGroups([admins.GroupId, readers.GroupId, 'AGPAUNKNOWN0000000000']);
    expect(members[admins.GroupId]).toHaveLength(userIds.length);
    expect(members[readers.GroupId]).toEqual([userIds[0]]);
    expect(Object.keys(members).sort()).toEqual([admins.GroupId, readers.GroupId].sort());
    expect(asked['membersOfGroups']).toEqual([3]);
    const error = await groups.byName('nobody').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IamError);
    expect(error).toMatchObject({ code: 'NoSuchEntity' });
  });
});
