import { DirectoryPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { DirectoryHarness, failure, startDirectory } from '../test-support/harness';

describeWithServices('directory quotas set by configuration', () => {
  let h: DirectoryHarness;

  beforeAll(async () => {
    h = await startDirectory({ limits: { groupsPerUser: 3, groupsPerAccount: 4 } });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('applies the configured groups-per-user quota with AWS wording', async () => {
    h.identity.create('quinn');
    for (const name of ['Q1', 'Q2', 'Q3', 'Q4']) await h.bus.send(P.CreateGroup, { GroupName: name });
    for (const name of ['Q1', 'Q2', 'Q3']) await h.bus.send(P.AddUserToGroup, { GroupName: name, UserName: 'quinn' });
    await expect(failure(h.bus.send(P.AddUserToGroup, { GroupName: 'Q4', UserName: 'quinn' }))).resolves.toEqual({
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for GroupsPerUser: 3',
    });
  });

  it('applies the groups-per-account quota, exactly under concurrent creates', async () => {
    const outcomes = await Promise.allSettled(['Q5', 'Q6', 'Q7'].map((GroupName) => h.bus.send(P.CreateGroup, { GroupName })));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    await expect(failure(h.bus.send(P.CreateGroup, { GroupName: 'Q5' }))).resolves.toEqual({
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for GroupsPerAccount: 4',
    });
    await h.bus.send(P.DeleteGroup, { GroupName: 'Q4' });
    const again = await Promise.allSettled(['Q5', 'Q6', 'Q7'].map((GroupName) => h.bus.send(P.CreateGroup, { GroupName })));
    expect(again.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((await h.bus.send(P.ListGroups, {})).Groups).toHaveLength(4);
  });
});
