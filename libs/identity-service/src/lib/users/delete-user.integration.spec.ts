import { AuthorizationPatterns, DirectoryPatterns, IamError, IdentityEvents, IdentityPatterns as P } from '@iam/contracts';
import { describeWithServices, memoryLogger, startStubService } from '@iam/testing';
import {
  eventually,
  failure,
  IdentityUnderTest,
  listenToIdentityEvents,
  newMasterKey,
  startIdentity,
} from '../../test-support/harness';

type Counts = { memberships: number; attached: number; inline: number };

/**
 * DeleteUser against stand-ins for directory and authorization: every branch
 * of the protocol (conflicts from each side, a neighbour down or failing, a
 * cancel that fails, retries) and what identity leaves behind each time.
 */
describeWithServices('DeleteUser across identity, directory and authorization', () => {
  const BUS_TIMEOUT_MS = 700;
  let identity: IdentityUnderTest;
  let listener: Awaited<ReturnType<typeof listenToIdentityEvents>>;
  const log = memoryLogger('identity');

  // What the stand-ins answer, and what they were asked.
  let counts: Counts;
  let calls: string[];
  let directoryBegin: () => Promise<void> | void;
  let directoryCancel: () => Promise<void> | void;
  let authorizationBegin: () => Promise<void> | void;
  let authorizationCancel: () => Promise<void> | void;
  let directory: { close(): Promise<void> } | undefined;
  let authorization: { close(): Promise<void> } | undefined;

  const startDirectory = async () => {
    directory = await startStubService(identity.transport, 'directory', {
      [DirectoryPatterns.BeginUserDelete]: async (request) => {
        calls.push(`directory.begin ${request.UserId}`);
        await directoryBegin();
        return { MembershipCount: counts.memberships };
      },
      [DirectoryPatterns.CancelUserDelete]: async (request) => {
        calls.push(`directory.cancel ${request.UserId}`);
        await directoryCancel();
        return {};
      },
    });
  };
  const startAuthorization = async () => {
    authorization = await startStubService(identity.transport, 'authorization', {
      [AuthorizationPatterns.BeginPrincipalDelete]: async (request) => {
        calls.push(`authorization.begin ${request.PrincipalType} ${request.PrincipalId}`);
        await authorizationBegin();
        return { AttachedPolicyCount: counts.attached, InlinePolicyCount: counts.inline };
      },
      [AuthorizationPatterns.CancelPrincipalDelete]: async (request) => {
        calls.push(`authorization.cancel ${request.PrincipalType} ${request.PrincipalId}`);
        await authorizationCancel();
        return {};
      },
    });
  };

  beforeAll(async () => {
    identity = await startIdentity({
      env: { IAM_MASTER_KEY: newMasterKey(), IAM_BUS_TIMEOUT_MS: String(BUS_TIMEOUT_MS) },
      logger: log.logger,
    });
    listener = await listenToIdentityEvents(identity.transport);
  });

  beforeEach(async () => {
    counts = { memberships: 0, attached: 0, inline: 0 };
    calls = [];
    directoryBegin = directoryCancel = authorizationBegin = authorizationCancel = () => undefined;
    if (!directory) await startDirectory();
    if (!authorization) await startAuthorization();
  });

  afterAll(async () => {
    await directory?.close();
    await authorization?.close();
    await listener?.close();
    await identity?.close();
  });

  const bus = () => identity.bus;
  const create = async (name: string) => (await bus().send(P.CreateUser, { UserName: name })).User;
  const state = async (userId: string) =>
    (await identity.sql<{ state: string }>('SELECT state FROM identity.users WHERE user_id = $1', [userId]))[0]?.state;

  it('deletes a user with nothing left anywhere, then answers NoSuchEntity', async () => {
    const user = await create('gone');
    await expect(bus().send(P.DeleteUser, { UserName: 'GONE' })).resolves.toEqual({});

    expect(calls.sort()).toEqual([`authorization.begin user ${user.UserId}`, `directory.begin ${user.UserId}`]);
    expect(await state(user.UserId)).toBeUndefined();
    expect((await failure(bus().send(P.GetUser, { UserName: 'gone' }))).code).toBe('NoSuchEntity');
    expect(await failure(bus().send(P.DeleteUser, { UserName: 'gone' }))).toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name gone cannot be found.',
    });
    expect(
      await eventually(() =>
        listener.events.some((e) => e.event === IdentityEvents.UserDeleted && e.payload['UserId'] === user.UserId && e.payload['UserName'] === 'gone'),
      ),
    ).toBe(true);
    // The name is free again.
    expect((await create('gone')).UserId).not.toBe(user.UserId);
  });

  it('refuses while the user has a login profile, without asking the neighbours', async () => {
    const user = await create('with-password');
    await bus().send(P.CreateLoginProfile, { UserName: 'with-password', Password: 'Correct-Horse-7' });
    expect(await failure(bus().send(P.DeleteUser, { UserName: 'with-password' }))).toEqual({
      code: 'DeleteConflict',
      message: 'Cannot delete entity, must delete login profile first.',
    });
    expect(calls).toEqual([]);
    expect(await state(user.UserId)).toBe('active');
  });

  it('refuses while the user has access keys, without asking the neighbours', async () => {
    const user = await create('with-key');
    await bus().send(P.CreateAccessKey, { UserName: 'with-key' });
    expect(await failure(bus().send(P.DeleteUser, { UserName: 'with-key' }))).toEqual({
      code: 'DeleteConflict',
      message: 'Cannot delete entity, must delete access keys first.',
    });
    expect(calls).toEqual([]);
    expect(await state(user.UserId)).toBe('active');
  });

  it.each([
    ['group memberships', { memberships: 2, attached: 0, inline: 0 }, 'Cannot delete entity, must remove users from group first.'],
    ['attached policies', { memberships: 0, attached: 1, inline: 0 }, 'Cannot delete entity, must detach all policies first.'],
    ['inline policies', { memberships: 0, attached: 0, inline: 3 }, 'Cannot delete entity, must delete policies first.'],
    ['memberships and policies (groups named first)', { memberships: 1, attached: 1, inline: 1 }, 'Cannot delete entity, must remove users from group first.'],
  ])('refuses while the user has %s, cancels both begins and sets the user active again', async (_case, remaining, message) => {
    const user = await create(`conflict-${remaining.memberships}${remaining.attached}${remaining.inline}`);
    counts = remaining;
    expect(await failure(bus().send(P.DeleteUser, { UserName: user.UserName }))).toEqual({ code: 'DeleteConflict', message });
    expect(calls.filter((c) => c.includes('cancel')).sort()).toEqual([
      `authorization.cancel user ${user.UserId}`,
      `directory.cancel ${user.UserId}`,
    ]);
    expect(await state(user.UserId)).toBe('active');
    // Active again: credentials may be added.
    await expect(bus().send(P.CreateAccessKey, { UserName: user.UserName })).resolves.toBeDefined();
  });

  it('answers ServiceUnavailable when directory is down; the user stays deleting until a retry deletes it', async () => {
    const user = await create('dir-down');
    await directory?.close();
    directory = undefined;

    const error = await failure(bus().send(P.DeleteUser, { UserName: 'dir-down' }));
    expect(error.code).toBe('ServiceUnavailable');
    expect(error.message).toContain('directory');
    expect(calls).toContain(`authorization.cancel user ${user.UserId}`);
    // The directory's cancel could not be delivered either: the user stays deleting, no credentials may be added.
    expect(await state(user.UserId)).toBe('deleting');
    expect(log.lines.some((line) => line.includes(user.UserId) && line.includes('stays marked as being deleted'))).toBe(true);
    expect(await failure(bus().send(P.CreateAccessKey, { UserName: 'dir-down' }))).toEqual({
      code: 'EntityTemporarilyUnmodifiable',
      message: 'The user with name dir-down cannot be modified while it is being deleted.',
    });
    expect((await failure(bus().send(P.CreateLoginProfile, { UserName: 'dir-down', Password: 'Correct-Horse-7' }))).code).toBe(
      'EntityTemporarilyUnmodifiable',
    );
    expect((await bus().send(P.ResolveUser, { UserName: 'dir-down' })).State).toBe('deleting');

    await startDirectory();
    calls = [];
    await expect(bus().send(P.DeleteUser, { UserName: 'dir-down' })).resolves.toEqual({});
    expect(calls.sort()).toEqual([`authorization.begin user ${user.UserId}`, `directory.begin ${user.UserId}`]);
    expect(await state(user.UserId)).toBeUndefined();
  });

  it('answers ServiceUnavailable when authorization is down and directory gets its cancel', async () => {
    const user = await create('authz-down');
    await authorization?.close();
    authorization = undefined;

    expect((await failure(bus().send(P.DeleteUser, { UserName: 'authz-down' }))).code).toBe('ServiceUnavailable');
    expect(calls).toContain(`directory.cancel ${user.UserId}`);
    expect(await state(user.UserId)).toBe('deleting');

    // A retry once authorization is back, with a policy still attached: conflict, both cancelled, active again.
    await startAuthorization();
    counts = { memberships: 0, attached: 1, inline: 0 };
    expect((await failure(bus().send(P.DeleteUser, { UserName: 'authz-down' }))).code).toBe('DeleteConflict');
    expect(await state(user.UserId)).toBe('active');
  });

  it('answers ServiceUnavailable when a neighbour does not answer in time', async () => {
    const user = await create('slow-authz');
    authorizationBegin = () => new Promise((resolve) => setTimeout(resolve, BUS_TIMEOUT_MS * 3));
    const error = await failure(bus().send(P.DeleteUser, { UserName: 'slow-authz' }));
    expect(error.code).toBe('ServiceUnavailable');
    expect(error.message).toContain('authorization');
    expect(calls).toEqual(expect.arrayContaining([`directory.cancel ${user.UserId}`, `authorization.cancel user ${user.UserId}`]));
    expect(await state(user.UserId)).toBe('active');
  });

  it("passes a neighbour's own error on and cancels", async () => {
    const user = await create('dir-error');
    directoryBegin = () => {
      throw new IamError('ServiceUnavailable', 'The directory database is not answering.');
    };
    expect(await failure(bus().send(P.DeleteUser, { UserName: 'dir-error' }))).toEqual({
      code: 'ServiceUnavailable',
      message: 'The directory database is not answering.',
    });
    expect(await state(user.UserId)).toBe('active');
  });

  it('keeps the user deleting when a cancel fails, and a retry resolves it', async () => {
    const user = await create('cancel-fails');
    counts = { memberships: 1, attached: 0, inline: 0 };
    directoryCancel = () => {
      throw new IamError('ServiceUnavailable', 'The directory database is not answering.');
    };
    expect((await failure(bus().send(P.DeleteUser, { UserName: 'cancel-fails' }))).message).toBe(
      'Cannot delete entity, must remove users from group first.',
    );
    expect(await state(user.UserId)).toBe('deleting');

    // Retrying with the membership still there: conflict again, and now the cancels go through.
    directoryCancel = () => undefined;
    expect((await failure(bus().send(P.DeleteUser, { UserName: 'cancel-fails' }))).code).toBe('DeleteConflict');
    expect(await state(user.UserId)).toBe('active');

    // Once the membership is gone, the delete goes ahead.
    counts = { memberships: 0, attached: 0, inline: 0 };
    await bus().send(P.DeleteUser, { UserName: 'cancel-fails' });
    expect(await state(user.UserId)).toBeUndefined();
  });

  it('finishes an interrupted delete on retry (a user left deleting)', async () => {
    const user = await create('interrupted');
    await identity.sql("UPDATE identity.users SET state = 'deleting' WHERE user_id = $1", [user.UserId]);
    await expect(bus().send(P.DeleteUser, { UserName: 'interrupted' })).resolves.toEqual({});
    expect(await state(user.UserId)).toBeUndefined();
    expect((await failure(bus().send(P.DeleteUser, { UserName: 'interrupted' }))).code).toBe('NoSuchEntity');
  });

  it('answers ConcurrentModification when a concurrent delete cancelled while this one was asking', async () => {
    const user = await create('contested');
    let beginCalls = 0;
    let secondBeginArrived!: () => void;
    const secondBegins = new Promise<void>((resolve) => (secondBeginArrived = resolve));
    let releaseSecond!: () => void;
    const secondMayAnswer = new Promise<void>((resolve) => (releaseSecond = resolve));
    // The first delete finds a membership; its cancel waits until the second delete has begun.
    directoryBegin = async () => {
      beginCalls++;
      if (beginCalls === 1) {
        counts = { memberships: 1, attached: 0, inline: 0 };
        return;
      }
      secondBeginArrived();
      await secondMayAnswer;
      counts = { memberships: 0, attached: 0, inline: 0 };
    };
    directoryCancel = () => secondBegins;

    const first = failure(bus().send(P.DeleteUser, { UserName: 'contested' }));
    await eventually(() => beginCalls === 1);
    const second = failure(bus().send(P.DeleteUser, { UserName: 'contested' }));
    expect((await first).message).toBe('Cannot delete entity, must remove users from group first.');
    releaseSecond();
    expect(await second).toEqual({
      code: 'ConcurrentModification',
      message: 'The user with name contested was changed by another request while it was being deleted; try again.',
    });
    expect(await state(user.UserId)).toBe('active');
  });

  it('ends in one deleted user when two deletes race', async () => {
    const user = await create('raced');
    directoryBegin = () => new Promise((resolve) => setTimeout(resolve, 50));
    const results = await Promise.allSettled([
      bus().send(P.DeleteUser, { UserName: 'raced' }),
      bus().send(P.DeleteUser, { UserName: 'raced' }),
    ]);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    for (const result of results) {
      if (result.status === 'rejected') expect((result.reason as IamError).code).toBe('NoSuchEntity');
    }
    expect(await state(user.UserId)).toBeUndefined();
    const published = () => listener.events.filter((e) => e.event === IdentityEvents.UserDeleted && e.payload['UserId'] === user.UserId).length;
    expect(await eventually(() => published() === 1)).toBe(true);
    await bus().send(P.Health, {});
    expect(published()).toBe(1);
  });
});
