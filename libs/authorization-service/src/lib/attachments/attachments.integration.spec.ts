import { AuthorizationPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { allow, failure, Harness, policy, policyArn, startAuthorization } from '../../test-support/harness';

describeWithServices('attachments of managed policies over NATS and PostgreSQL', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startAuthorization({ env: { IAM_MAX_POLICIES_PER_GROUP: '12' } });
    for (const name of ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'P11', 'P12', 'P13']) {
      await h.bus.send(P.CreatePolicy, { PolicyName: name, PolicyDocument: policy(allow('s3:GetObject')), Path: name === 'P2' ? '/ops/' : '/' });
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  const arnOf = (name: string) => policyArn(name, name === 'P2' ? '/ops/' : '/');
  const attached = async (userName: string, request: object = {}) =>
    (await h.bus.send(P.ListAttachedUserPolicies, { UserName: userName, ...request })).AttachedPolicies.map((p) => p.PolicyName);

  it('attaches to a user by name, regardless of case; attaching twice is not an error', async () => {
    h.identity.create('Alice');
    await h.bus.send(P.AttachUserPolicy, { UserName: 'alice', PolicyArn: policyArn('P1') });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'ALICE', PolicyArn: policyArn('P1') });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'Alice', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    await expect(h.bus.send(P.ListAttachedUserPolicies, { UserName: 'Alice' })).resolves.toEqual({
      AttachedPolicies: [
        { PolicyName: 'P1', PolicyArn: policyArn('P1') },
        { PolicyName: 'IAMReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' },
      ],
      IsTruncated: false,
    });
    expect((await h.bus.send(P.GetPolicy, { PolicyArn: policyArn('P1') })).Policy.AttachmentCount).toBe(1);
  });

  it('detaches; detaching what is not attached answers NoSuchEntity', async () => {
    h.identity.create('bob');
    await h.bus.send(P.AttachUserPolicy, { UserName: 'bob', PolicyArn: policyArn('P3') });
    await h.bus.send(P.DetachUserPolicy, { UserName: 'bob', PolicyArn: policyArn('P3') });
    expect(await attached('bob')).toEqual([]);
    await expect(failure(h.bus.send(P.DetachUserPolicy, { UserName: 'bob', PolicyArn: policyArn('P3') }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: `Policy ${policyArn('P3')} was not found.`,
    });
  });

  it('answers NoSuchEntity for an unknown user, group or policy', async () => {
    await expect(failure(h.bus.send(P.AttachUserPolicy, { UserName: 'nobody', PolicyArn: policyArn('P1') }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name nobody cannot be found.',
    });
    await expect(failure(h.bus.send(P.AttachGroupPolicy, { GroupName: 'nogroup', PolicyArn: policyArn('P1') }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The group with name nogroup cannot be found.',
    });
    h.identity.create('carol');
    await expect(failure(h.bus.send(P.AttachUserPolicy, { UserName: 'carol', PolicyArn: policyArn('Missing') }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: `Policy ${policyArn('Missing')} does not exist or is not attachable.`,
    });
    await expect(failure(h.bus.send(P.ListAttachedUserPolicies, { UserName: 'nobody' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
    await expect(failure(h.bus.send(P.ListAttachedGroupPolicies, { GroupName: 'nogroup' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
    await expect(failure(h.bus.send(P.DetachUserPolicy, { UserName: 'nobody', PolicyArn: policyArn('P1') }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
    await expect(failure(h.bus.send(P.DetachGroupPolicy, { GroupName: 'nogroup', PolicyArn: policyArn('P1') }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
    await expect(failure(h.bus.send(P.AttachUserPolicy, { UserName: 'carol', PolicyArn: 'not-an-arn-at-all-really' }))).resolves.toEqual({
      code: 'InvalidInput',
      message: 'ARN not-an-arn-at-all-really is not valid.',
    });
  });

  it('refuses an eleventh policy on a user with LimitExceeded; the group quota is configurable', async () => {
    h.identity.create('dave');
    for (let i = 1; i <= 10; i++) await h.bus.send(P.AttachUserPolicy, { UserName: 'dave', PolicyArn: arnOf(`P${i}`) });
    await expect(failure(h.bus.send(P.AttachUserPolicy, { UserName: 'dave', PolicyArn: policyArn('P11') }))).resolves.toEqual({
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for PoliciesPerUser: 10',
    });
    // Attaching one already attached is still fine at the quota.
    await h.bus.send(P.AttachUserPolicy, { UserName: 'dave', PolicyArn: policyArn('P10') });

    h.directory.create('admins');
    for (let i = 1; i <= 12; i++) await h.bus.send(P.AttachGroupPolicy, { GroupName: 'admins', PolicyArn: arnOf(`P${i}`) });
    await expect(failure(h.bus.send(P.AttachGroupPolicy, { GroupName: 'admins', PolicyArn: policyArn('P13') }))).resolves.toEqual({
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for PoliciesPerGroup: 12',
    });
  });

  it('lists attached policies in the order attached, by path prefix, with pagination', async () => {
    h.identity.create('erin');
    for (const name of ['P5', 'P2', 'P7']) await h.bus.send(P.AttachUserPolicy, { UserName: 'erin', PolicyArn: arnOf(name) });
    expect(await attached('erin')).toEqual(['P5', 'P2', 'P7']);
    expect(await attached('erin', { PathPrefix: '/ops/' })).toEqual(['P2']);
    const first = await h.bus.send(P.ListAttachedUserPolicies, { UserName: 'erin', MaxItems: 2 });
    expect(first.IsTruncated).toBe(true);
    const second = await h.bus.send(P.ListAttachedUserPolicies, { UserName: 'erin', MaxItems: 2, Marker: first.Marker });
    expect([...first.AttachedPolicies, ...second.AttachedPolicies].map((p) => p.PolicyName)).toEqual(['P5', 'P2', 'P7']);
    expect(second.IsTruncated).toBe(false);
  });

  it('attaches to groups, detaches from them and lists them', async () => {
    h.directory.create('Readers', '/teams/');
    await h.bus.send(P.AttachGroupPolicy, { GroupName: 'readers', PolicyArn: policyArn('P4') });
    await expect(h.bus.send(P.ListAttachedGroupPolicies, { GroupName: 'Readers' })).resolves.toEqual({
      AttachedPolicies: [{ PolicyName: 'P4', PolicyArn: policyArn('P4') }],
      IsTruncated: false,
    });
    await h.bus.send(P.DetachGroupPolicy, { GroupName: 'Readers', PolicyArn: policyArn('P4') });
    await expect(failure(h.bus.send(P.DetachGroupPolicy, { GroupName: 'Readers', PolicyArn: policyArn('P4') }))).resolves.toMatchObject({
      code: 'NoSuchEntity',
    });
  });

  describe('ListEntitiesForPolicy', () => {
    beforeAll(async () => {
      await h.bus.send(P.CreatePolicy, { PolicyName: 'Shared', PolicyDocument: policy(allow('ec2:*')) });
      h.identity.create('zed', '/eng/');
      h.identity.create('amy', '/eng/');
      h.identity.create('ops-user', '/ops/');
      h.directory.create('Builders', '/eng/');
      h.directory.create('auditors', '/');
      for (const user of ['zed', 'amy', 'ops-user']) await h.bus.send(P.AttachUserPolicy, { UserName: user, PolicyArn: policyArn('Shared') });
      for (const group of ['Builders', 'auditors']) await h.bus.send(P.AttachGroupPolicy, { GroupName: group, PolicyArn: policyArn('Shared') });
    });

    const entities = (request: object) => h.bus.send(P.ListEntitiesForPolicy, { PolicyArn: policyArn('Shared'), ...request });
    const names = (reply: Awaited<ReturnType<typeof entities>>) => [
      ...reply.PolicyGroups.map((g) => `group:${g.GroupName}`),
      ...reply.PolicyUsers.map((u) => `user:${u.UserName}`),
    ];

    it('lists groups then users by name, with names resolved with identity and directory', async () => {
      const reply = await entities({});
      expect(names(reply)).toEqual(['group:auditors', 'group:Builders', 'user:amy', 'user:ops-user', 'user:zed']);
      expect(reply.PolicyRoles).toEqual([]);
      expect(reply.PolicyUsers[0].UserId).toBe(h.identity.byName('amy').UserId);
      expect(reply.PolicyGroups[0].GroupId).toMatch(/^AGPA/);
    });

    it('filters by entity kind, policy kind and path prefix', async () => {
      expect(names(await entities({ EntityFilter: 'User' }))).toEqual(['user:amy', 'user:ops-user', 'user:zed']);
      expect(names(await entities({ EntityFilter: 'Group' }))).toEqual(['group:auditors', 'group:Builders']);
      expect(names(await entities({ EntityFilter: 'Role' }))).toEqual([]);
      expect(names(await entities({ EntityFilter: 'AWSManagedPolicy' }))).toEqual([]);
      expect(names(await entities({ EntityFilter: 'LocalManagedPolicy' }))).toHaveLength(5);
      expect(names(await entities({ PathPrefix: '/eng/' }))).toEqual(['group:Builders', 'user:amy', 'user:zed']);
      expect(names(await entities({ PolicyUsageFilter: 'PermissionsBoundary' }))).toEqual([]);
    });

    it('pages with MaxItems and Marker', async () => {
      const first = await entities({ MaxItems: 2 });
      const second = await entities({ MaxItems: 2, Marker: first.Marker });
      const third = await entities({ MaxItems: 2, Marker: second.Marker });
      expect([...names(first), ...names(second), ...names(third)]).toEqual(['group:auditors', 'group:Builders', 'user:amy', 'user:ops-user', 'user:zed']);
      expect(third.IsTruncated).toBe(false);
    });

    it('leaves out users identity no longer knows', async () => {
      const gone = h.identity.create('ghost');
      await h.bus.send(P.AttachUserPolicy, { UserName: 'ghost', PolicyArn: policyArn('Shared') });
      h.identity.remove(gone.UserId);
      expect(names(await entities({ EntityFilter: 'User' }))).toEqual(['user:amy', 'user:ops-user', 'user:zed']);
    });

    it('answers NoSuchEntity for an unknown policy', async () => {
      await expect(failure(h.bus.send(P.ListEntitiesForPolicy, { PolicyArn: policyArn('Nope') }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
    });
  });
});
