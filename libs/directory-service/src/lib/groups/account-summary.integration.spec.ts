import { DirectoryPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { DirectoryHarness, startDirectory } from '../../test-support/harness';

/** Directory's part of GetAccountSummary: the groups it keeps and the quotas it is configured with. */
describeWithServices('directory AccountSummary over NATS and PostgreSQL', () => {
  let h: DirectoryHarness;

  beforeAll(async () => {
    h = await startDirectory({ limits: { groupsPerUser: 7, groupsPerAccount: 400 } });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('counts every group (more than a page) and states the configured quotas', async () => {
    const before = await h.bus.send(P.AccountSummary, {});
    const many = 120;
    await Promise.all(Array.from({ length: many }, (_, i) => h.bus.send(P.CreateGroup, { GroupName: `summary-${i}` })));
    const after = await h.bus.send(P.AccountSummary, {});
    expect(after).toEqual({ Groups: before.Groups + many, GroupsQuota: 400, GroupsPerUserQuota: 7 });
  }, 120_000);
});
