import { AuthorizationPatterns as P, IamError } from '@iam/contracts';
import { describeWithServices, memoryLogger } from '@iam/testing';
import { Client } from 'pg';
import { CompiledPolicies } from '../documents/compiled-policies';
import { ACCOUNT, allow, deny, Harness, policy, startAuthorization } from '../../test-support/harness';

describeWithServices('decisions (Authorize) over NATS and PostgreSQL', () => {
  let h: Harness;
  const logs = memoryLogger('authorization');

  beforeAll(async () => {
    h = await startAuthorization({ logger: logs.logger });
  });

  afterAll(async () => {
    await h?.close();
  });

  const authorize = (userId: string, Action: string, Resource: string, Context?: Record<string, string | string[]>) =>
    h.bus.send(P.Authorize, { Principal: { Type: 'user', UserId: userId }, Action, Resource, ...(Context ? { Context } : {}) });

  describe('root', () => {
    it.each([
      ['an IAM resource of its account', `arn:aws:iam::${ACCOUNT}:user/alice`, 'allowed'],
      ['a resource without an account', 'arn:aws:s3:::bucket/key', 'allowed'],
      ['an AWS managed policy', 'arn:aws:iam::aws:policy/AdministratorAccess', 'allowed'],
      ['every resource', '*', 'allowed'],
      ['a resource of another account', 'arn:aws:iam::999999999999:user/alice', 'implicitDeny'],
    ])('on %s: %s', async (_case, Resource, decision) => {
      await expect(h.bus.send(P.Authorize, { Principal: { Type: 'root' }, Action: 'iam:DeleteUser', Resource })).resolves.toEqual({
        Decision: decision,
        MatchedStatements: [],
        MissingContextKeys: [],
      });
    });
  });

  it('denies implicitly a user without policies', async () => {
    const user = h.identity.create('nobody-has-policies');
    await expect(authorize(user.UserId, 's3:GetObject', 'arn:aws:s3:::b/k')).resolves.toEqual({
      Decision: 'implicitDeny',
      MatchedStatements: [],
      MissingContextKeys: [],
    });
  });

  it('names the statement, policy, version and attachment that allowed', async () => {
    const user = h.identity.create('reader');
    const { Policy } = await h.bus.send(P.CreatePolicy, {
      PolicyName: 'ReadBucket',
      PolicyDocument: policy(allow('s3:ListBucket', 'arn:aws:s3:::b'), { ...allow('s3:GetObject', 'arn:aws:s3:::b/*'), Sid: 'Objects' }),
    });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'reader', PolicyArn: Policy.Arn });
    await expect(authorize(user.UserId, 'S3:getobject', 'arn:aws:s3:::b/k')).resolves.toEqual({
      Decision: 'allowed',
      MatchedStatements: [
        {
          PolicyId: Policy.PolicyId,
          PolicyName: 'ReadBucket',
          PolicyType: 'user-managed',
          PolicyArn: Policy.Arn,
          VersionId: 'v1',
          Sid: 'Objects',
          StatementIndex: 1,
          Effect: 'Allow',
          AttachedTo: [{ PrincipalType: 'user', PrincipalId: user.UserId }],
        },
      ],
      MissingContextKeys: [],
    });
    await expect(authorize(user.UserId, 's3:PutObject', 'arn:aws:s3:::b/k')).resolves.toMatchObject({ Decision: 'implicitDeny' });
  });

  it('includes the policies of the user’s groups, and a policy reached twice once, naming both ways', async () => {
    const user = h.identity.create('member');
    const devs = h.directory.create('devs');
    const ops = h.directory.create('ops');
    h.directory.add(user.UserId, devs.GroupId);
    h.directory.add(user.UserId, ops.GroupId);
    const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: 'Ec2Describe', PolicyDocument: policy(allow('ec2:Describe*')) });
    await h.bus.send(P.AttachGroupPolicy, { GroupName: 'devs', PolicyArn: Policy.Arn });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'member', PolicyArn: Policy.Arn });
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'ops', PolicyName: 'OpsInline', PolicyDocument: policy(allow('ec2:DescribeInstances')) });

    const reply = await authorize(user.UserId, 'ec2:DescribeInstances', '*');
    expect(reply.Decision).toBe('allowed');
    expect(reply.MatchedStatements).toEqual([
      expect.objectContaining({
        PolicyName: 'Ec2Describe',
        AttachedTo: [
          { PrincipalType: 'user', PrincipalId: user.UserId },
          { PrincipalType: 'group', PrincipalId: devs.GroupId, GroupName: 'devs' },
        ],
      }),
      {
        PolicyId: 'OpsInline',
        PolicyName: 'OpsInline',
        PolicyType: 'group',
        StatementIndex: 0,
        Effect: 'Allow',
        AttachedTo: [{ PrincipalType: 'group', PrincipalId: ops.GroupId, GroupName: 'ops' }],
      },
    ]);
  });

  it('AuthorizeBatch decides each check in order exactly as Authorize does, with the shared context and each check\'s own', async () => {
    const user = h.identity.create('batcher');
    const team = h.directory.create('batch-team');
    h.directory.add(user.UserId, team.GroupId);
    await h.bus.send(P.PutUserPolicy, { UserName: 'batcher', PolicyName: 'All', PolicyDocument: policy(allow('s3:*')) });
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'batch-team', PolicyName: 'NoDeletes', PolicyDocument: policy(deny('s3:Delete*')) });
    await h.bus.send(P.PutUserPolicy, {
      UserName: 'batcher',
      PolicyName: 'Own',
      PolicyDocument: policy({ ...allow('iam:ChangePassword'), Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }),
    });
    const checks = [
      { Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/k' },
      { Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/k' },
      { Action: 'ec2:RunInstances', Resource: '*' },
      { Action: 'iam:ChangePassword', Resource: `arn:aws:iam::${ACCOUNT}:user/batcher` },
      { Action: 'iam:ChangePassword', Resource: `arn:aws:iam::${ACCOUNT}:user/other`, Context: { 'aws:username': 'other' } },
    ];
    const { Results } = await h.bus.send(P.AuthorizeBatch, { Principal: { Type: 'user', UserId: user.UserId }, Context: { 'aws:username': 'batcher' }, Checks: checks });
    expect(Results.map((r) => r.Decision)).toEqual(['allowed', 'explicitDeny', 'implicitDeny', 'allowed', 'allowed']);
    for (const [n, check] of checks.entries()) {
      expect(Results[n]).toEqual(await authorize(user.UserId, check.Action, check.Resource, { 'aws:username': 'batcher', ...check.Context }));
    }
    await expect(h.bus.send(P.AuthorizeBatch, { Principal: { Type: 'root' }, Checks: checks })).resolves.toEqual({
      Results: checks.map(() => ({ Decision: 'allowed', MatchedStatements: [], MissingContextKeys: [] })),
    });
    await expect(h.bus.send(P.AuthorizeBatch, { Principal: { Type: 'root' }, Checks: [] })).rejects.toMatchObject({ code: 'ValidationError' });
  });

  it('lets an explicit Deny of a group override an Allow of the user, and names only the Deny', async () => {
    const user = h.identity.create('restricted');
    const secops = h.directory.create('secops');
    h.directory.add(user.UserId, secops.GroupId);
    await h.bus.send(P.PutUserPolicy, { UserName: 'restricted', PolicyName: 'All', PolicyDocument: policy(allow('s3:*')) });
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'secops', PolicyName: 'NoDeletes', PolicyDocument: policy({ ...deny('s3:Delete*'), Sid: 'NoDelete' }) });
    const reply = await authorize(user.UserId, 's3:DeleteObject', 'arn:aws:s3:::b/k');
    expect(reply.Decision).toBe('explicitDeny');
    expect(reply.MatchedStatements).toEqual([expect.objectContaining({ PolicyName: 'NoDeletes', PolicyType: 'group', Sid: 'NoDelete', Effect: 'Deny' })]);
    await expect(authorize(user.UserId, 's3:GetObject', 'arn:aws:s3:::b/k')).resolves.toMatchObject({
      Decision: 'allowed',
      MatchedStatements: [expect.objectContaining({ PolicyName: 'All', PolicyType: 'user' })],
    });
  });

  it('evaluates conditions and policy variables on the context the gateway computed, and names missing keys', async () => {
    const user = h.identity.create('changer');
    await h.bus.send(P.AttachUserPolicy, { UserName: 'changer', PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' });
    const own = `arn:aws:iam::${ACCOUNT}:user/changer`;
    await expect(authorize(user.UserId, 'iam:ChangePassword', own, { 'aws:username': 'changer' })).resolves.toMatchObject({
      Decision: 'allowed',
      MatchedStatements: [expect.objectContaining({ PolicyName: 'IAMUserChangePassword', PolicyType: 'aws-managed', VersionId: 'v3', StatementIndex: 0 })],
    });
    await expect(authorize(user.UserId, 'iam:ChangePassword', `arn:aws:iam::${ACCOUNT}:user/other`, { 'aws:username': 'changer' })).resolves.toMatchObject({
      Decision: 'implicitDeny',
    });
    await expect(authorize(user.UserId, 'iam:ChangePassword', own)).resolves.toEqual({
      Decision: 'implicitDeny',
      MatchedStatements: [],
      MissingContextKeys: ['aws:username'],
    });

    await h.bus.send(P.PutUserPolicy, {
      UserName: 'changer',
      PolicyName: 'FromOffice',
      PolicyDocument: policy(allow('s3:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } })),
    });
    await expect(authorize(user.UserId, 's3:GetObject', 'arn:aws:s3:::b/k', { 'aws:SourceIp': '10.1.2.3', 'aws:TagKeys': ['env'] })).resolves.toMatchObject({
      Decision: 'allowed',
    });
    await expect(authorize(user.UserId, 's3:GetObject', 'arn:aws:s3:::b/k', { 'aws:SourceIp': '192.168.1.1' })).resolves.toMatchObject({
      Decision: 'implicitDeny',
    });
  });

  it('puts a new default version in force at once', async () => {
    const user = h.identity.create('versioned');
    const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: 'Moving', PolicyDocument: policy(allow('sqs:SendMessage')) });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'versioned', PolicyArn: Policy.Arn });
    await expect(authorize(user.UserId, 'sqs:SendMessage', '*')).resolves.toMatchObject({ Decision: 'allowed' });
    await h.bus.send(P.CreatePolicyVersion, { PolicyArn: Policy.Arn, PolicyDocument: policy(allow('sqs:ReceiveMessage')), SetAsDefault: true });
    await expect(authorize(user.UserId, 'sqs:SendMessage', '*')).resolves.toMatchObject({ Decision: 'implicitDeny' });
    await expect(authorize(user.UserId, 'sqs:ReceiveMessage', '*')).resolves.toMatchObject({
      Decision: 'allowed',
      MatchedStatements: [expect.objectContaining({ VersionId: 'v2' })],
    });
    await h.bus.send(P.SetDefaultPolicyVersion, { PolicyArn: Policy.Arn, VersionId: 'v1' });
    await expect(authorize(user.UserId, 'sqs:SendMessage', '*')).resolves.toMatchObject({ Decision: 'allowed' });
  });

  describe('fails closed', () => {
    it('answers ServiceUnavailable (never an allow, never a deny to cache) when directory is unavailable, and logs it', async () => {
      const user = h.identity.create('admin-without-directory');
      await h.bus.send(P.AttachUserPolicy, { UserName: 'admin-without-directory', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
      await expect(authorize(user.UserId, 's3:GetObject', '*')).resolves.toMatchObject({ Decision: 'allowed' });
      h.directory.failure = new IamError('ServiceUnavailable', 'The directory service is unavailable: no answer within 5000 ms.');
      try {
        await expect(authorize(user.UserId, 's3:GetObject', '*')).rejects.toMatchObject({
          code: 'ServiceUnavailable',
          message: 'The directory service is unavailable: no answer within 5000 ms.',
        });
      } finally {
        h.directory.failure = undefined;
      }
      expect(logs.lines.some((line) => line.includes(`Could not decide s3:GetObject on * for user ${user.UserId}`) && line.includes('answered ServiceUnavailable'))).toBe(true);
    });

    it('denies, with the reason, when a neighbour fails otherwise', async () => {
      const user = h.identity.create('admin-with-broken-directory');
      await h.bus.send(P.AttachUserPolicy, { UserName: 'admin-with-broken-directory', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
      h.directory.failure = new IamError('ServiceFailure', 'The request failed because of an internal error.');
      try {
        await expect(authorize(user.UserId, 's3:GetObject', '*')).resolves.toEqual({
          Decision: 'implicitDeny',
          MatchedStatements: [],
          MissingContextKeys: [],
          Error: 'ServiceFailure: The request failed because of an internal error.',
        });
      } finally {
        h.directory.failure = undefined;
      }
    });

    it('denies a request whose context cannot be built', async () => {
      const user = h.identity.create('bad-context');
      await h.bus.send(P.AttachUserPolicy, { UserName: 'bad-context', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
      const reply = await authorize(user.UserId, 's3:GetObject', '*', { 'aws:username': 'a', 'AWS:USERNAME': 'b' });
      expect(reply.Decision).toBe('implicitDeny');
      expect(reply.Error).toContain('aws:username');
    });

    it('answers a request that is not the contract with ValidationError (a deny for the gateway)', async () => {
      await expect(h.bus.send(P.Authorize, { Principal: { Type: 'admin' }, Action: 's3:GetObject', Resource: '*' } as never)).rejects.toMatchObject({
        code: 'ValidationError',
      });
    });
  });

  it('compiles each policy version once per replica and decides from the cache afterwards', async () => {
    const compiled = h.replicas[0].get(CompiledPolicies);
    const user = h.identity.create('repeat');
    const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: 'Cached', PolicyDocument: policy(allow('kms:Decrypt')) });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'repeat', PolicyArn: Policy.Arn });
    await authorize(user.UserId, 'kms:Decrypt', '*');
    const size = compiled.size;
    for (let i = 0; i < 5; i++) await expect(authorize(user.UserId, 'kms:Decrypt', '*')).resolves.toMatchObject({ Decision: 'allowed' });
    expect(compiled.size).toBe(size);
    expect(compiled.get(CompiledPolicies.managedKey(Policy.PolicyId, 'v1'))).toBeDefined();
  });

  it('denies when a stored document no longer compiles, rather than leave a policy out', async () => {
    const user = h.identity.create('corrupted');
    await h.bus.send(P.PutUserPolicy, { UserName: 'corrupted', PolicyName: 'Fine', PolicyDocument: policy(allow('s3:*')) });
    const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: 'Corrupted', PolicyDocument: policy(deny('s3:DeleteObject')) });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'corrupted', PolicyArn: Policy.Arn });
    const client = new Client({ connectionString: h.database.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO "authorization".policy_versions (policy_id, version_id, version_number, document, create_date) VALUES ($1, 'v7', 7, '{"Statement": [', now())`,
        [Policy.PolicyId],
      );
      await client.query(`UPDATE "authorization".policies SET default_version = 'v7' WHERE policy_id = $1`, [Policy.PolicyId]);
    } finally {
      await client.end();
    }
    const reply = await authorize(user.UserId, 's3:GetObject', 'arn:aws:s3:::b/k');
    expect(reply).toMatchObject({ Decision: 'implicitDeny', MatchedStatements: [] });
    expect(reply.Error).toContain(`stored policy ${Policy.PolicyId} does not compile`);
  });
});
