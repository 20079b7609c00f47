import { IdentityPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { IdentityUnderTest, startIdentity } from '../../test-support/harness';

/** Identity's part of GetAccountSummary counts users in the database, however many pages they fill. */
describeWithServices('identity AccountSummary over NATS and PostgreSQL', () => {
  let identity: IdentityUnderTest;

  beforeAll(async () => {
    identity = await startIdentity();
  });

  afterAll(async () => {
    await identity?.close();
  });

  it('counts every user (more than the largest page) and states the key quota', async () => {
    const before = await identity.bus.send(P.AccountSummary, {});
    const many = 1_050;
    for (let start = 0; start < many; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, many - start) }, (_, i) => identity.bus.send(P.CreateUser, { UserName: `summary-${start + i}` })),
      );
    }
    const after = await identity.bus.send(P.AccountSummary, {});
    expect(after.Users - before.Users).toBe(many);
    expect(after.AccessKeysPerUserQuota).toBe(2);

    // The same number as listing every user page by page.
    let listed = 0;
    let marker: string | undefined;
    do {
      const page = await identity.bus.send(P.ListUsers, { MaxItems: 1000, ...(marker ? { Marker: marker } : {}) });
      listed += page.Users.length;
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    expect(after.Users).toBe(listed);
  }, 300_000);
});
