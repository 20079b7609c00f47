import {
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GenerateCredentialReportCommand,
  IAMClient,
  GetPolicyCommand,
  GetUserCommand,
  ListPolicyTagsCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  paginateListUsers,
  TagPolicyCommand,
  TagUserCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { describeWithServices } from '@iam/testing';
import { XMLParser } from 'fast-xml-parser';
import { ACCOUNT, presignedUrl, sdkDriver, signedFetch, signedQuery, startDistributedSystem, type RunningSystem } from './support/gateway';
import { tutorialStory } from './support/gateway-story';

jest.setTimeout(180_000);

const xml = new XMLParser();

/**
 * The AWS IAM Query API through @aws-sdk/client-iam (SigV4), against the four apps as
 * processes over a real NATS and PostgreSQL.
 */
describeWithServices('gateway: the tutorial through @aws-sdk/client-iam', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startDistributedSystem();
  });

  afterAll(async () => {
    await system?.stop();
  });

  const client = () => new IAMClient({ endpoint: system.base, region: 'eu-west-3', credentials: system.root, maxAttempts: 1 });

  tutorialStory('query', () => ({ call: sdkDriver(system.base), root: system.root }));

  describe('the Query protocol', () => {
    it('answers InvalidAction (400) for an unknown action and for an AWS action not served yet', async () => {
      const unknown = await signedQuery(system.base, system.root, { Action: 'MakeCoffee' });
      expect(unknown.status).toBe(400);
      expect(xml.parse(await unknown.text()).ErrorResponse).toMatchObject({
        Error: { Type: 'Sender', Code: 'InvalidAction', Message: 'Could not find operation MakeCoffee for version 2010-05-08' },
        RequestId: unknown.headers.get('x-amzn-requestid'),
      });
      const role = await signedQuery(system.base, system.root, { Action: 'CreateRole', RoleName: 'r' });
      expect(role.status).toBe(400);
      expect(xml.parse(await role.text()).ErrorResponse.Error.Message).toBe('The action CreateRole is not supported by this server yet.');
    });

    it('accepts SigV4 as presigned query parameters', async () => {
      const url = await presignedUrl(system.base, system.root, '/', { Action: 'GetUser', Version: '2010-05-08', UserName: 'dave' });
      expect(url).toContain('X-Amz-Signature=');
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(xml.parse(await response.text()).GetUserResponse.GetUserResult.User.UserName).toBe('dave');
      const tampered = await fetch(url.replace('UserName=dave', 'UserName=admin'));
      expect(tampered.status).toBe(403);
      expect(xml.parse(await tampered.text()).ErrorResponse.Error.Code).toBe('SignatureDoesNotMatch');
    });

    it('answers MissingAuthenticationToken (403) to an unsigned request', async () => {
      const response = await fetch(`${system.base}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=ListUsers&Version=2010-05-08',
      });
      expect(response.status).toBe(403);
      expect(xml.parse(await response.text()).ErrorResponse.Error).toMatchObject({ Code: 'MissingAuthenticationToken', Message: 'Request is missing Authentication Token' });
    });

    it('answers RequestExpired (400) to a request signed an hour ago', async () => {
      const response = await signedFetch(
        system.base,
        system.root,
        { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' },
        { signingDate: new Date(Date.now() - 60 * 60_000) },
      );
      expect(response.status).toBe(400);
      expect(xml.parse(await response.text()).ErrorResponse.Error.Code).toBe('RequestExpired');
    });

    it('serves GET /?Action=... and writes AWS XML with whole-second timestamps', async () => {
      const response = await signedFetch(system.base, system.root, { method: 'GET', path: '/', query: { Action: 'GetUser', Version: '2010-05-08', UserName: 'admin' } });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">');
      const user = xml.parse(text).GetUserResponse.GetUserResult.User;
      expect(user).toMatchObject({ UserName: 'admin', Path: '/staff/', Arn: `arn:aws:iam::${ACCOUNT}:user/staff/admin` });
      expect(user.CreateDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    it('paginates with Marker and MaxItems as the SDK paginator expects', async () => {
      for (const name of ['page-a', 'page-b', 'page-c']) await client().send(new CreateUserCommand({ UserName: name, Path: '/pages/' }));
      const first = await client().send(new ListUsersCommand({ PathPrefix: '/pages/', MaxItems: 2 }));
      expect(first.IsTruncated).toBe(true);
      expect(first.Users?.map((u) => u.UserName)).toEqual(['page-a', 'page-b']);
      const seen: string[] = [];
      for await (const page of paginateListUsers({ client: client(), pageSize: 1 }, { PathPrefix: '/pages/' })) {
        seen.push(...(page.Users ?? []).map((u) => u.UserName ?? ''));
      }
      expect(seen).toEqual(['page-a', 'page-b', 'page-c']);
    });

    it('GetAccountAuthorizationDetails: users with groups and inline policies, groups, policies with versions, filtered and paginated', async () => {
      const all = await client().send(new GetAccountAuthorizationDetailsCommand({}));
      const dave = all.UserDetailList?.find((u) => u.UserName === 'dave');
      expect(dave?.GroupList).toEqual(['security']);
      const security = all.GroupDetailList?.find((g) => g.GroupName === 'security');
      expect(security?.GroupPolicyList?.[0]).toMatchObject({ PolicyName: 'audit' });
      // The SDK leaves AWS's URL-encoded documents as they are.
      expect(JSON.parse(decodeURIComponent(security?.GroupPolicyList?.[0].PolicyDocument ?? ''))).toMatchObject({ Version: '2012-10-17' });
      const readUsers = all.Policies?.find((p) => p.PolicyName === 'ReadUsers');
      expect(readUsers?.PolicyVersionList).toHaveLength(1);
      expect(all.Policies?.map((p) => p.PolicyName)).toContain('AdministratorAccess');

      const groupsOnly = await client().send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Group'] }));
      expect(groupsOnly.UserDetailList ?? []).toEqual([]);
      expect(groupsOnly.Policies ?? []).toEqual([]);
      expect(groupsOnly.GroupDetailList?.map((g) => g.GroupName).sort()).toEqual(['admins', 'developers', 'security']);

      const page1 = await client().send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Group'], MaxItems: 2 }));
      expect(page1.IsTruncated).toBe(true);
      const page2 = await client().send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Group'], MaxItems: 2, Marker: page1.Marker }));
      expect(page2.IsTruncated).toBe(false);
      expect([...(page1.GroupDetailList ?? []), ...(page2.GroupDetailList ?? [])].map((g) => g.GroupName).sort()).toEqual([
        'admins',
        'developers',
        'security',
      ]);
    });

    it('the credential report: AWS columns, base64 CSV, one row per user after the root row', async () => {
      expect(['STARTED', 'COMPLETE']).toContain((await client().send(new GenerateCredentialReportCommand({}))).State);
      expect((await client().send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
      const report = await client().send(new GetCredentialReportCommand({}));
      expect(report.ReportFormat).toBe('text/csv');
      const lines = Buffer.from(report.Content ?? new Uint8Array()).toString('utf8').split('\n');
      expect(lines[0].split(',').slice(0, 9)).toEqual([
        'user',
        'arn',
        'user_creation_time',
        'password_enabled',
        'password_last_used',
        'password_last_changed',
        'password_next_rotation',
        'mfa_active',
        'access_key_1_active',
      ]);
      expect(lines[1]).toMatch(new RegExp(`^<root_account>,arn:aws:iam::${ACCOUNT}:root,`));
      const admin = lines.find((line) => line.startsWith('admin,'))?.split(',');
      expect(admin?.[3]).toBe('true');
      expect(admin?.[8]).toBe('true');
    });

    it('GetAccountSummary: counts and quotas', async () => {
      const { SummaryMap } = await client().send(new GetAccountSummaryCommand({}));
      expect(SummaryMap).toMatchObject({ Groups: 3, Policies: 1, AccessKeysPerUserQuota: 2, GroupsPerUserQuota: 10, AttachedPoliciesPerGroupQuota: 10 });
      expect(SummaryMap?.['Users']).toBeGreaterThanOrEqual(2);
    });
  });

  describe("AWS's answers where LocalStack recorded them", () => {
    /** What the SDK raised, as AWS's code and message. */
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => ({ code: 'none', message: '' }),
        (error: { name: string; message: string }) => ({ code: error.name, message: error.message }),
      );
    const tags = (keys: string[]) => keys.map((Key, i) => ({ Key, Value: `v${i}` }));

    it('an empty UpdateAccountPasswordPolicy: AWS defaults, without HardExpiry, MaxPasswordAge or PasswordReusePrevention', async () => {
      const update = await signedQuery(system.base, system.root, { Action: 'UpdateAccountPasswordPolicy' });
      expect(update.status).toBe(200);
      const response = await signedQuery(system.base, system.root, { Action: 'GetAccountPasswordPolicy' });
      const text = await response.text();
      expect(text).not.toMatch(/HardExpiry|MaxPasswordAge|PasswordReusePrevention/);
      expect(xml.parse(text).GetAccountPasswordPolicyResponse.GetAccountPasswordPolicyResult.PasswordPolicy).toEqual({
        AllowUsersToChangePassword: false,
        ExpirePasswords: false,
        MinimumPasswordLength: 6,
        RequireLowercaseCharacters: false,
        RequireNumbers: false,
        RequireSymbols: false,
        RequireUppercaseCharacters: false,
      });
      await client().send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 30, HardExpiry: true }));
      expect((await client().send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy).toMatchObject({ ExpirePasswords: true, MaxPasswordAge: 30, HardExpiry: true });
      await client().send(new DeleteAccountPasswordPolicyCommand({}));
    });

    it("a user's tags: keys regardless of case, listed by key, AWS's refusals word for word", async () => {
      await client().send(new CreateUserCommand({ UserName: 'tagged-user', Tags: tags(['Team', 'Environment', 'b']) }));
      await client().send(new TagUserCommand({ UserName: 'tagged-user', Tags: [{ Key: 'TEAM', Value: 'core' }, { Key: 'a', Value: '' }] }));
      expect((await client().send(new ListUserTagsCommand({ UserName: 'tagged-user' }))).Tags?.map((t) => t.Key)).toEqual(['a', 'b', 'Environment', 'TEAM']);
      expect((await client().send(new GetUserCommand({ UserName: 'tagged-user' }))).User?.Tags).toEqual([
        { Key: 'TEAM', Value: 'core' },
        { Key: 'Environment', Value: 'v1' },
        { Key: 'b', Value: 'v2' },
        { Key: 'a', Value: '' },
      ]);
      expect(await refusal(client().send(new TagUserCommand({ UserName: 'tagged-user', Tags: [{ Key: 'mykey', Value: '1' }, { Key: 'MyKey', Value: '2' }] })))).toEqual({
        code: 'InvalidInputException',
        message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      });
      const fiftyOne = tags(Array.from({ length: 51 }, (_, i) => `${i}`));
      expect(await refusal(client().send(new TagUserCommand({ UserName: 'tagged-user', Tags: fiftyOne })))).toEqual({
        code: 'ValidationError',
        message: "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
      });
      expect(await refusal(client().send(new TagUserCommand({ UserName: 'tagged-user', Tags: fiftyOne.slice(0, 47) })))).toEqual({
        code: 'LimitExceededException',
        message: 'The number of tags has reached the maximum limit.',
      });
    });

    it("a policy's tags: keys as written, listed by length then key, duplicates refused in AWS's words", async () => {
      const written = tags(['abc', 'b', 'z', 'a']);
      const { Policy } = await client().send(
        new CreatePolicyCommand({ PolicyName: 'TagOrder', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }), Tags: written }),
      );
      expect(Policy?.Tags).toEqual(written);
      expect((await client().send(new ListPolicyTagsCommand({ PolicyArn: Policy?.Arn }))).Tags?.map((t) => t.Key)).toEqual(['a', 'b', 'z', 'abc']);
      await client().send(new TagPolicyCommand({ PolicyArn: Policy?.Arn, Tags: [{ Key: 'A', Value: 'uppercase' }] }));
      expect((await client().send(new ListPolicyTagsCommand({ PolicyArn: Policy?.Arn }))).Tags?.map((t) => t.Key)).toEqual(['A', 'a', 'b', 'z', 'abc']);
      expect((await client().send(new GetPolicyCommand({ PolicyArn: Policy?.Arn }))).Policy?.Tags?.map((t) => t.Key)).toEqual(['abc', 'b', 'z', 'a', 'A']);
      expect(await refusal(client().send(new TagPolicyCommand({ PolicyArn: Policy?.Arn, Tags: [{ Key: '0', Value: '' }, { Key: '0', Value: '' }] })))).toEqual({
        code: 'InvalidInputException',
        message: 'Duplicate tag keys found.',
      });
      const response = await signedQuery(system.base, system.root, { Action: 'TagPolicy', PolicyArn: Policy?.Arn ?? '', 'Tags.member.1.Key': 'NOWAY!', 'Tags.member.1.Value': '' });
      expect(xml.parse(await response.text()).ErrorResponse.Error.Message).toBe(
        "1 validation error detected: Value 'NOWAY!' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
      );
    });
  });
});
