import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthorizationPatterns, DirectoryPatterns, IdentityPatterns } from '@iam/contracts';
import { inProcessTransport, startStubService } from '@iam/testing';
import { Authorizer } from '../../auth/authorizer';
import { HeaderAuthenticator, json, startTestGateway } from '../../../test-support/harness';

class AllowAll extends Authorizer {
  async authorize(): Promise<void> {
    return undefined;
  }
}

/**
 * GetAccountSummary takes every count and every enforced quota from the service that keeps
 * and enforces it (one `AccountSummary` pattern each); it lists nothing. The fakes answer only
 * the summary patterns, so a gateway that paged through users, groups or policies would fail.
 */
describe('GetAccountSummary: counts and quotas from their services', () => {
  let app: NestFastifyApplication;
  let url: string;
  const closers: Array<{ close(): Promise<unknown> }> = [];

  beforeAll(async () => {
    const transport = inProcessTransport();
    closers.push(
      await startStubService(transport, 'identity', {
        [IdentityPatterns.AccountSummary]: () => ({ Users: 12_345, AccessKeysPerUserQuota: 2, AccountAccessKeysPresent: 1 }),
      }),
      await startStubService(transport, 'directory', {
        [DirectoryPatterns.AccountSummary]: () => ({ Groups: 301, GroupsQuota: 400, GroupsPerUserQuota: 25 }),
      }),
      await startStubService(transport, 'authorization', {
        [AuthorizationPatterns.AccountSummary]: () => ({
          Policies: 7,
          PolicyVersionsInUse: 11,
          AttachedPoliciesPerUserQuota: 20,
          AttachedPoliciesPerGroupQuota: 15,
          VersionsPerPolicyQuota: 5,
          PolicySizeQuota: 6144,
          UserPolicySizeQuota: 2048,
          GroupPolicySizeQuota: 5120,
        }),
      }),
    );
    ({ app, url } = await startTestGateway({ transport, authenticator: new HeaderAuthenticator(), authorizer: new AllowAll() }));
  });

  afterAll(async () => {
    await app?.close();
    for (const closer of closers) await closer.close();
  });

  it('reports what each service counts and enforces, and AWS-stated values for the rest', async () => {
    const response = await fetch(`${url}/v1/account/summary`, { headers: { authorization: 'Test root' } });
    expect(response.status).toBe(200);
    const { SummaryMap } = await json(response);
    expect(SummaryMap).toMatchObject({
      Users: 12_345,
      AccessKeysPerUserQuota: 2,
      AccountAccessKeysPresent: 1,
      Groups: 301,
      GroupsQuota: 400,
      GroupsPerUserQuota: 25,
      Policies: 7,
      PolicyVersionsInUse: 11,
      AttachedPoliciesPerUserQuota: 20,
      AttachedPoliciesPerGroupQuota: 15,
      VersionsPerPolicyQuota: 5,
      PolicySizeQuota: 6144,
      UserPolicySizeQuota: 2048,
      GroupPolicySizeQuota: 5120,
      UsersQuota: 5000,
      Roles: 0,
      MFADevices: 0,
    });
  });
});
