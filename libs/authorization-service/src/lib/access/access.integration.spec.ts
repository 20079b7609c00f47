import { AuthorizationPatterns as P, WhoCanReply } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { allow, deny, failure, Harness, policy, policyArn, startAuthorization } from '../../test-support/harness';
import { AccessService, WHO_CAN_PAGE_BYTES } from './access.service';

describeWithServices('who can, and effective permissions, over NATS and PostgreSQL', () => {
  let h: Harness;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startAuthorization();
    for (const name of ['alice', 'Bob', 'carol', 'dave', 'erin', 'frank', 'gina']) ids[name] = h.identity.create(name, name === 'alice' ? '/eng/' : '/').UserId;
    const devs = h.directory.create('devs');
    const secops = h.directory.create('secops');
    for (const name of ['Bob', 'carol', 'frank']) h.directory.add(ids[name], devs.GroupId);
    h.directory.add(ids['carol'], secops.GroupId);
    h.directory.add(ids['gina'], secops.GroupId);

    await h.bus.send(P.CreatePolicy, { PolicyName: 'DataRead', PolicyDocument: policy({ ...allow('s3:GetObject', 'arn:aws:s3:::data/*'), Sid: 'Read' }) });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'alice', PolicyArn: policyArn('DataRead') });
    await h.bus.send(P.AttachGroupPolicy, { GroupName: 'devs', PolicyArn: policyArn('DataRead') });
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'secops', PolicyName: 'NoSecrets', PolicyDocument: policy({ ...deny('s3:*', 'arn:aws:s3:::data/secret/*'), Sid: 'Secret' }) });
    await h.bus.send(P.PutUserPolicy, {
      UserName: 'dave',
      PolicyName: 'FromOffice',
      PolicyDocument: policy(allow('s3:GetObject', 'arn:aws:s3:::data/*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })),
    });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'erin', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    // frank is a member whose user identity no longer knows.
    h.identity.remove(ids['frank']);
  });

  afterAll(async () => {
    await h?.close();
  });

  const whoCan = (request: object) => h.bus.send(P.WhoCan, { ActionName: 's3:GetObject', ResourceArn: 'arn:aws:s3:::data/secret/plan', ...request } as never);
  const verdicts = (reply: WhoCanReply) => reply.Principals.map((p) => `${p.UserName}:${p.Verdict}`);

  it('lists every user with an applicable statement, its verdict and the statements through which it has them', async () => {
    const reply = await whoCan({});
    expect(verdicts(reply)).toEqual(['alice:allowed', 'Bob:allowed', 'carol:denied', 'dave:conditional', 'gina:denied']);
    expect(reply.Counts).toEqual({ Allowed: 2, Denied: 2, Conditional: 1 });
    expect(reply.IsTruncated).toBe(false);

    const [alice, bob, carol] = reply.Principals;
    expect(alice).toMatchObject({ UserId: ids['alice'], Path: '/eng/', Arn: 'arn:aws:iam::123456789012:user/eng/alice', Denials: [] });
    expect(alice.Grants).toEqual([
      { Via: 'direct', PolicyType: 'user-managed', PolicyId: expect.stringMatching(/^ANPA/), PolicyName: 'DataRead', PolicyArn: policyArn('DataRead'), VersionId: 'v1', Sid: 'Read', StatementIndex: 0, Conditional: false },
    ]);
    expect(bob.Grants).toEqual([expect.objectContaining({ Via: 'group', GroupName: 'devs', GroupId: expect.stringMatching(/^AGPA/), PolicyName: 'DataRead' })]);
    expect(carol.Grants).toEqual([expect.objectContaining({ Via: 'group', GroupName: 'devs', PolicyName: 'DataRead' })]);
    expect(carol.Denials).toEqual([
      { Via: 'group', GroupName: 'secops', GroupId: expect.stringMatching(/^AGPA/), PolicyType: 'group', PolicyId: 'NoSecrets', PolicyName: 'NoSecrets', Sid: 'Secret', StatementIndex: 0, Conditional: false },
    ]);
    expect(reply.Principals[3].Grants).toEqual([expect.objectContaining({ Via: 'direct', PolicyType: 'user', PolicyName: 'FromOffice', Conditional: true })]);
  });

  it('evaluates conditions against given context entries', async () => {
    const inOffice = await whoCan({ ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['10.1.1.1'] }] });
    expect(verdicts(inOffice)).toContain('dave:allowed');
    const outside = await whoCan({ ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['192.168.1.1'] }] });
    expect(verdicts(outside)).not.toContain('dave:allowed');
    expect(outside.Principals.map((p) => p.UserName)).not.toContain('dave');
  });

  it('covers resource patterns: a statement on part of the pattern is conditional', async () => {
    const reply = await whoCan({ ResourceArn: 'arn:aws:s3:::data/*' });
    // secops' Deny covers only data/secret/*, so it may deny: carol and gina are conditional, not denied.
    expect(verdicts(reply)).toEqual(['alice:allowed', 'Bob:allowed', 'carol:conditional', 'dave:conditional']);
  });

  it('filters by verdict, and counts every user regardless', async () => {
    const denied = await whoCan({ Verdicts: ['denied'] });
    expect(verdicts(denied)).toEqual(['carol:denied', 'gina:denied']);
    expect(denied.Counts).toEqual({ Allowed: 2, Denied: 2, Conditional: 1 });
  });

  it('pages by user name', async () => {
    const first = await whoCan({ MaxItems: 2 });
    const second = await whoCan({ MaxItems: 2, Marker: first.Marker });
    const third = await whoCan({ MaxItems: 2, Marker: second.Marker });
    expect([...verdicts(first), ...verdicts(second), ...verdicts(third)]).toEqual(verdicts(await whoCan({})));
    expect([first.IsTruncated, second.IsTruncated, third.IsTruncated]).toEqual([true, true, false]);
  });

  it('ends a page early, with a marker, when the reply would outgrow a bus message', async () => {
    const access = h.replicas[0].get(AccessService);
    access.pageBytes = 700;
    try {
      const first = await whoCan({ MaxItems: 100 });
      expect(first.Principals.length).toBeGreaterThan(0);
      expect(first.Principals.length).toBeLessThan(5);
      expect(first.IsTruncated).toBe(true);
      const all = [...verdicts(first)];
      let marker = first.Marker;
      while (marker) {
        const next = await whoCan({ MaxItems: 100, Marker: marker });
        all.push(...verdicts(next));
        marker = next.IsTruncated ? next.Marker : undefined;
      }
      access.pageBytes = WHO_CAN_PAGE_BYTES;
      expect(all).toEqual(verdicts(await whoCan({})));
    } finally {
      access.pageBytes = WHO_CAN_PAGE_BYTES;
    }
  });

  it('follows revocations at once', async () => {
    await h.bus.send(P.DetachUserPolicy, { UserName: 'alice', PolicyArn: policyArn('DataRead') });
    try {
      expect(verdicts(await whoCan({}))).not.toContain('alice:allowed');
    } finally {
      await h.bus.send(P.AttachUserPolicy, { UserName: 'alice', PolicyArn: policyArn('DataRead') });
    }
  });

  it('answers other actions from other policies', async () => {
    const reply = await whoCan({ ActionName: 'iam:ListUsers', ResourceArn: 'arn:aws:iam::123456789012:user/*' });
    expect(verdicts(reply)).toEqual(['erin:allowed']);
    expect(reply.Principals[0].Grants[0]).toMatchObject({ PolicyType: 'aws-managed', PolicyName: 'IAMReadOnlyAccess', VersionId: 'v4' });
  });

  describe('UserPermissions', () => {
    it('lists a user’s policies by source with their statements as written', async () => {
      const reply = await h.bus.send(P.UserPermissions, { UserName: 'CAROL' });
      expect(reply.User).toEqual({ UserName: 'carol', UserId: ids['carol'], Path: '/', Arn: 'arn:aws:iam::123456789012:user/carol' });
      expect(reply.Groups.map((g) => g.GroupName)).toEqual(['devs', 'secops']);
      expect(reply.Sources).toEqual([
        expect.objectContaining({
          Via: 'group',
          GroupName: 'devs',
          PolicyType: 'user-managed',
          PolicyName: 'DataRead',
          VersionId: 'v1',
          Statements: [{ StatementIndex: 0, Sid: 'Read', Effect: 'Allow', Statement: JSON.stringify({ ...allow('s3:GetObject', 'arn:aws:s3:::data/*'), Sid: 'Read' }) }],
        }),
        expect.objectContaining({
          Via: 'group',
          GroupName: 'secops',
          PolicyType: 'group',
          PolicyName: 'NoSecrets',
          Statements: [expect.objectContaining({ Effect: 'Deny', Sid: 'Secret' })],
        }),
      ]);
    });

    it('lists direct policies first', async () => {
      const reply = await h.bus.send(P.UserPermissions, { UserName: 'dave' });
      expect(reply.Sources.map((s) => [s.Via, s.PolicyName])).toEqual([['direct', 'FromOffice']]);
    });

    it('answers NoSuchEntity for an unknown user', async () => {
      await expect(failure(h.bus.send(P.UserPermissions, { UserName: 'nobody' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
    });
  });
});
