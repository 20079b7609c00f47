import { INestMicroservice } from '@nestjs/common';
import { AuthorizationPatterns, BusClient, DirectoryPatterns as D, IamError, IdentityPatterns as I } from '@iam/contracts';
import { DirectoryEnv, directoryOptions, DirectoryServiceModule } from '@iam/directory-service';
import { IdentityEnv, identityOptions, IdentityServiceModule } from '@iam/identity-service';
import { startService } from '@iam/platform';
import { createTestDatabase, describeWithServices, isolatedNatsTransport, silentLogger, startStubService, testBusClient, TestDatabase } from '@iam/testing';

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: IamError) => ({ code: error.code, message: error.message }),
  );

/**
 * Directory with the real identity service on NATS and PostgreSQL:
 * members resolved by identity, renames in identity, and identity's
 * DeleteUser asking directory. Authorization's side of a delete is stood in
 * for (no policies), as authorization is not what is under test here.
 */
describeWithServices('directory with the real identity service', () => {
  let database: TestDatabase;
  let bus: BusClient & { close(): Promise<void> };
  const services: INestMicroservice[] = [];
  let stub: { close(): Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase();
    const transport = isolatedNatsTransport();
    const env = { DATABASE_URL: database.url, IAM_ACCOUNT_ID: '123456789012', IAM_DB_POOL_SIZE: '3' };
    services.push(
      await startService({
        name: 'identity',
        module: IdentityServiceModule.register(identityOptions(IdentityEnv.parse(env), transport)),
        transport,
        logger: silentLogger('identity'),
      }),
      await startService({
        name: 'directory',
        module: DirectoryServiceModule.register(directoryOptions(DirectoryEnv.parse(env), transport)),
        transport,
        logger: silentLogger('directory'),
      }),
    );
    stub = await startStubService(transport, 'authorization', {
      [AuthorizationPatterns.BeginPrincipalDelete]: () => ({ AttachedPolicyCount: 0, InlinePolicyCount: 0 }),
      [AuthorizationPatterns.CancelPrincipalDelete]: () => ({}),
    });
    bus = await testBusClient(transport);
  });

  afterAll(async () => {
    await bus?.close();
    await stub?.close();
    for (const service of services.reverse()) await service.close();
    await database?.drop();
  });

  it('lists members as identity knows them, through renames, and follows identity’s DeleteUser', async () => {
    const { User: ada } = await bus.send(I.CreateUser, { UserName: 'ada', Path: '/eng/' });
    const { User: bob } = await bus.send(I.CreateUser, { UserName: 'bob' });
    const { Group } = await bus.send(D.CreateGroup, { GroupName: 'Engineers' });
    await bus.send(D.AddUserToGroup, { GroupName: 'engineers', UserName: 'ADA' });
    await bus.send(D.AddUserToGroup, { GroupName: 'Engineers', UserName: 'bob' });

    const members = await bus.send(D.GetGroup, { GroupName: 'Engineers' });
    expect(members.Users.map((u) => [u.UserName, u.UserId, u.Path, u.Arn])).toEqual(
      [ada, bob].sort((a, b) => (a.UserId < b.UserId ? -1 : 1)).map((u) => [u.UserName, u.UserId, u.Path, u.Arn]),
    );

    // A rename in identity changes no membership.
    await bus.send(I.UpdateUser, { UserName: 'ada', NewUserName: 'ada-lovelace' });
    await expect(bus.send(D.ListGroupsForUser, { UserName: 'ada-lovelace' })).resolves.toEqual({ Groups: [Group], IsTruncated: false });
    expect((await bus.send(D.GetGroup, { GroupName: 'Engineers' })).Users.map((u) => u.UserName).sort()).toEqual(['ada-lovelace', 'bob']);
    expect((await failure(bus.send(D.ListGroupsForUser, { UserName: 'ada' }))).code).toBe('NoSuchEntity');

    // Identity refuses to delete a member, then deletes it once removed.
    await expect(failure(bus.send(I.DeleteUser, { UserName: 'bob' }))).resolves.toEqual({
      code: 'DeleteConflict',
      message: 'Cannot delete entity, must remove users from group first.',
    });
    await bus.send(D.AddUserToGroup, { GroupName: 'Engineers', UserName: 'bob' });
    await bus.send(D.RemoveUserFromGroup, { GroupName: 'Engineers', UserName: 'bob' });
    await bus.send(I.DeleteUser, { UserName: 'bob' });
    await expect(bus.send(D.GroupsOfUser, { UserId: bob.UserId })).resolves.toEqual({ Groups: [] });
    await expect(failure(bus.send(D.AddUserToGroup, { GroupName: 'Engineers', UserName: 'bob' }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name bob cannot be found.',
    });
    expect((await bus.send(D.GetGroup, { GroupName: 'Engineers' })).Users.map((u) => u.UserName)).toEqual(['ada-lovelace']);
  });
});
