/**
 * `GetPolicySet`: everything a gateway needs to decide in process, in one
 * reply. Deciding from the reply with the policy engine must give exactly
 * what `Authorize` gives, and every reply must show the writes that returned
 * before it was asked. Two replicas on one database, as deployed.
 */
import { AuthorizationPatterns as P, AuthorizeReply, DecisionStatement, GetPolicySetReply, IamError, PolicyAttachmentRef } from '@iam/contracts';
import { compilePolicy, createRequestContext, evaluate } from '@iam/policy-engine';
import { describeWithServices, memoryLogger } from '@iam/testing';
import { Client } from 'pg';
import { ACCOUNT, allow, deny, failure, Harness, policy, startAuthorization } from '../../test-support/harness';

type Context = Record<string, string | string[]>;

/** The decision a gateway makes from a policy set: each document compiled as stored, evaluated with the engine. */
function decideFrom(set: GetPolicySetReply, action: string, resource: string, context: Context = {}): AuthorizeReply {
  const compiled = set.Policies.map((entry) => ({
    entry,
    policy: compilePolicy(
      entry.Document,
      { id: entry.PolicyId, type: entry.PolicyType, name: entry.PolicyName, ...(entry.VersionId ? { version: entry.VersionId } : {}) },
      { stored: true },
    ),
  }));
  const decision = evaluate(
    compiled.map(({ policy }) => policy),
    { action, resource, context: createRequestContext(context) },
  );
  if (decision.error) throw new Error(decision.error.message);
  return {
    Decision: decision.decision,
    MatchedStatements: decision.matchedStatements.map((statement): DecisionStatement => {
      const found = compiled.find(({ policy }) => policy.statements[statement.statementIndex] === statement);
      if (!found) throw new Error(`no policy holds statement ${statement.statementIndex} of ${statement.policyId}`);
      const { entry } = found;
      return {
        PolicyId: entry.PolicyId,
        PolicyName: entry.PolicyName,
        PolicyType: entry.PolicyType,
        ...(entry.PolicyArn !== undefined ? { PolicyArn: entry.PolicyArn } : {}),
        ...(entry.VersionId !== undefined ? { VersionId: entry.VersionId } : {}),
        ...(statement.sid !== undefined ? { Sid: statement.sid } : {}),
        StatementIndex: statement.statementIndex,
        Effect: statement.effect,
        AttachedTo: entry.AttachedTo,
      };
    }),
    MissingContextKeys: [...decision.missingContextKeys],
  };
}

describeWithServices('GetPolicySet over NATS and PostgreSQL', () => {
  let h: Harness;
  const logs = memoryLogger('authorization');

  beforeAll(async () => {
    h = await startAuthorization({ replicas: 2, logger: logs.logger });
  });

  afterAll(async () => {
    await h?.close();
  });

  const policySet = (userId: string): Promise<GetPolicySetReply> => h.bus.send(P.GetPolicySet, { Principal: { Type: 'user', UserId: userId } });
  const authorize = (userId: string, Action: string, Resource: string, Context?: Context): Promise<AuthorizeReply> =>
    h.bus.send(P.Authorize, { Principal: { Type: 'user', UserId: userId }, Action, Resource, ...(Context ? { Context } : {}) });

  /** A policy created in the account, with its document as written. */
  async function managed(name: string, document: string) {
    const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: name, PolicyDocument: document });
    return { ...Policy, document };
  }

  /**
   * A user with two inline policies and two managed ones (one of them also attached to its
   * second group), and two groups each with an inline policy and managed ones (the first also
   * an AWS managed policy).
   */
  async function scenario(prefix: string) {
    const userName = `${prefix}-user`;
    const user = h.identity.create(userName);
    const first = h.directory.create(`${prefix}-first`);
    const second = h.directory.create(`${prefix}-second`);
    h.directory.add(user.UserId, first.GroupId);
    h.directory.add(user.UserId, second.GroupId);
    const docs = {
      zeta: policy({ ...deny('s3:PutObject', 'arn:aws:s3:::data/secret/*'), Sid: 'NoSecrets' }),
      alpha: policy(allow(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], 'arn:aws:s3:::data/*')),
      firstInline: policy({ ...deny('s3:DeleteObject'), Sid: 'NoDeletes' }),
      secondInline: policy(allow('iam:ChangePassword', `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`)),
    };
    // Put in reverse order of name: inline policies are evaluated by name regardless of case.
    await h.bus.send(P.PutUserPolicy, { UserName: userName, PolicyName: 'Zeta', PolicyDocument: docs.zeta });
    await h.bus.send(P.PutUserPolicy, { UserName: userName, PolicyName: 'alpha', PolicyDocument: docs.alpha });
    const table = await managed(`${prefix}-Table`, policy(allow('dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`)));
    const shared = await managed(`${prefix}-Shared`, policy(allow('ec2:Describe*'), { ...allow('s3:DeleteObject'), Sid: 'SharedDeletes' }));
    const queue = await managed(`${prefix}-Queue`, policy(allow('sqs:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })));
    const mfa = await managed(
      `${prefix}-Mfa`,
      policy(allow('iam:Get*'), { ...deny('iam:*'), Sid: 'NeedMfa', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }),
    );
    await h.bus.send(P.AttachUserPolicy, { UserName: userName, PolicyArn: table.Arn });
    await h.bus.send(P.AttachUserPolicy, { UserName: userName, PolicyArn: shared.Arn });
    await h.bus.send(P.PutGroupPolicy, { GroupName: first.GroupName, PolicyName: 'FirstInline', PolicyDocument: docs.firstInline });
    await h.bus.send(P.AttachGroupPolicy, { GroupName: first.GroupName, PolicyArn: queue.Arn });
    await h.bus.send(P.AttachGroupPolicy, { GroupName: first.GroupName, PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' });
    await h.bus.send(P.PutGroupPolicy, { GroupName: second.GroupName, PolicyName: 'SecondInline', PolicyDocument: docs.secondInline });
    await h.bus.send(P.AttachGroupPolicy, { GroupName: second.GroupName, PolicyArn: shared.Arn });
    await h.bus.send(P.AttachGroupPolicy, { GroupName: second.GroupName, PolicyArn: mfa.Arn });
    const refs = {
      user: { PrincipalType: 'user', PrincipalId: user.UserId } as PolicyAttachmentRef,
      first: { PrincipalType: 'group', PrincipalId: first.GroupId, GroupName: first.GroupName } as PolicyAttachmentRef,
      second: { PrincipalType: 'group', PrincipalId: second.GroupId, GroupName: second.GroupName } as PolicyAttachmentRef,
    };
    return { userName, user, first, second, docs, table, shared, queue, mfa, refs };
  }

  const managedEntry = (p: { PolicyId: string; PolicyName: string; Arn: string; document: string }, attachedTo: PolicyAttachmentRef[], versionId = 'v1') => ({
    Kind: 'managed',
    PolicyType: 'user-managed',
    PolicyId: p.PolicyId,
    PolicyName: p.PolicyName,
    PolicyArn: p.Arn,
    VersionId: versionId,
    AttachedTo: attachedTo,
    Document: p.document,
  });
  const inlineEntry = (type: 'user' | 'group', name: string, document: string, attachedTo: PolicyAttachmentRef) => ({
    Kind: 'inline',
    PolicyType: type,
    PolicyId: name,
    PolicyName: name,
    AttachedTo: [attachedTo],
    Document: document,
  });

  it('lists every policy once, in evaluation order, with every holder, and deciding from it gives exactly what Authorize gives', async () => {
    const s = await scenario('ps');
    const set = await policySet(s.user.UserId);
    expect(set.Groups).toEqual([
      { GroupId: s.first.GroupId, GroupName: s.first.GroupName },
      { GroupId: s.second.GroupId, GroupName: s.second.GroupName },
    ]);
    const changePassword = set.Policies[6];
    expect(set.Policies).toEqual([
      inlineEntry('user', 'alpha', s.docs.alpha, s.refs.user),
      inlineEntry('user', 'Zeta', s.docs.zeta, s.refs.user),
      managedEntry(s.table, [s.refs.user]),
      managedEntry(s.shared, [s.refs.user, s.refs.second]),
      inlineEntry('group', 'FirstInline', s.docs.firstInline, s.refs.first),
      managedEntry(s.queue, [s.refs.first]),
      {
        Kind: 'managed',
        PolicyType: 'aws-managed',
        PolicyId: changePassword.PolicyId,
        PolicyName: 'IAMUserChangePassword',
        PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword',
        VersionId: 'v3',
        AttachedTo: [s.refs.first],
        Document: expect.stringContaining('iam:ChangePassword'),
      },
      inlineEntry('group', 'SecondInline', s.docs.secondInline, s.refs.second),
      managedEntry(s.mfa, [s.refs.second]),
    ]);

    const own = `arn:aws:iam::${ACCOUNT}:user/${s.userName}`;
    const checks: [string, string, Context | undefined, AuthorizeReply['Decision']][] = [
      ['s3:GetObject', 'arn:aws:s3:::data/k', undefined, 'allowed'],
      ['s3:PutObject', 'arn:aws:s3:::data/secret/k', undefined, 'explicitDeny'],
      ['s3:DeleteObject', 'arn:aws:s3:::data/k', undefined, 'explicitDeny'],
      ['ec2:DescribeInstances', '*', undefined, 'allowed'],
      ['dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`, undefined, 'allowed'],
      ['dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/other`, undefined, 'implicitDeny'],
      ['sqs:SendMessage', '*', { 'aws:SourceIp': '10.1.2.3' }, 'allowed'],
      ['sqs:SendMessage', '*', { 'aws:SourceIp': '192.168.1.1' }, 'implicitDeny'],
      ['sqs:SendMessage', '*', undefined, 'implicitDeny'],
      ['iam:ChangePassword', own, { 'aws:username': s.userName, 'aws:MultiFactorAuthPresent': 'true' }, 'allowed'],
      ['iam:ChangePassword', own, { 'aws:username': s.userName }, 'explicitDeny'],
      ['iam:ChangePassword', `arn:aws:iam::${ACCOUNT}:user/other`, { 'aws:username': s.userName, 'aws:MultiFactorAuthPresent': 'true' }, 'implicitDeny'],
      ['iam:GetUser', own, { 'aws:MultiFactorAuthPresent': 'true' }, 'allowed'],
      ['iam:GetUser', own, { 'aws:MultiFactorAuthPresent': 'false' }, 'explicitDeny'],
      ['lambda:InvokeFunction', '*', undefined, 'implicitDeny'],
    ];
    for (const [action, resource, context, expected] of checks) {
      const decided = await authorize(s.user.UserId, action, resource, context);
      expect({ action, resource, context, decided: decided.Decision }).toEqual({ action, resource, context, decided: expected });
      expect(decideFrom(set, action, resource, context)).toEqual(decided);
    }
    // The explanation too: a shared policy names both holders, a missing key is reported.
    expect(decideFrom(set, 'ec2:DescribeInstances', '*').MatchedStatements).toEqual([
      expect.objectContaining({ PolicyName: s.shared.PolicyName, AttachedTo: [s.refs.user, s.refs.second] }),
    ]);
    expect(decideFrom(set, 'sqs:SendMessage', '*').MissingContextKeys).toEqual(['aws:SourceIp']);
  });

  it('shows a new default version, a detach and a removed membership in the next reply', async () => {
    const s = await scenario('changes');
    const v2 = policy(allow('dynamodb:PutItem'));
    await h.bus.send(P.CreatePolicyVersion, { PolicyArn: s.table.Arn, PolicyDocument: v2 });
    const tableOf = (set: GetPolicySetReply) => set.Policies.find((entry) => entry.PolicyId === s.table.PolicyId);
    expect(tableOf(await policySet(s.user.UserId))).toMatchObject({ VersionId: 'v1', Document: s.table.document });

    await h.bus.send(P.SetDefaultPolicyVersion, { PolicyArn: s.table.Arn, VersionId: 'v2' });
    let set = await policySet(s.user.UserId);
    expect(tableOf(set)).toMatchObject({ VersionId: 'v2', Document: v2 });
    expect(decideFrom(set, 'dynamodb:PutItem', '*').Decision).toBe('allowed');

    // Detached from the user, the shared policy remains through the second group, in that group's place.
    await h.bus.send(P.DetachUserPolicy, { UserName: s.userName, PolicyArn: s.shared.Arn });
    set = await policySet(s.user.UserId);
    expect(set.Policies.map((entry) => entry.PolicyName)).toEqual([
      'alpha',
      'Zeta',
      s.table.PolicyName,
      'FirstInline',
      s.queue.PolicyName,
      'IAMUserChangePassword',
      'SecondInline',
      s.shared.PolicyName,
      s.mfa.PolicyName,
    ]);
    expect(set.Policies[7].AttachedTo).toEqual([s.refs.second]);

    // Directory answers the removal before RemoveUserFromGroup returns; the next reply reads it.
    h.directory.removeMember(s.user.UserId, s.second.GroupId);
    set = await policySet(s.user.UserId);
    expect(set.Groups).toEqual([{ GroupId: s.first.GroupId, GroupName: s.first.GroupName }]);
    expect(set.Policies.map((entry) => entry.PolicyName)).toEqual(['alpha', 'Zeta', s.table.PolicyName, 'FirstInline', s.queue.PolicyName, 'IAMUserChangePassword']);
    expect(decideFrom(set, 'ec2:DescribeInstances', '*').Decision).toBe('implicitDeny');
    await expect(authorize(s.user.UserId, 'ec2:DescribeInstances', '*')).resolves.toMatchObject({ Decision: 'implicitDeny' });
  });

  it('answers no groups and no policies for a user that does not exist, and the groups alone for one without policies', async () => {
    await expect(policySet('AIDANOSUCHUSER000000')).resolves.toEqual({ Groups: [], Policies: [] });
    const user = h.identity.create('no-policies');
    const group = h.directory.create('empty-group');
    h.directory.add(user.UserId, group.GroupId);
    await expect(policySet(user.UserId)).resolves.toEqual({ Groups: [{ GroupId: group.GroupId, GroupName: group.GroupName }], Policies: [] });
  });

  it('refuses a request that is not the contract with ValidationError', async () => {
    await expect(failure(h.bus.send(P.GetPolicySet, { Principal: { Type: 'root' } } as never))).resolves.toMatchObject({ code: 'ValidationError' });
    await expect(failure(h.bus.send(P.GetPolicySet, { Principal: { Type: 'user', UserId: '' } }))).resolves.toMatchObject({ code: 'ValidationError' });
  });

  it('answers ServiceUnavailable when directory is unavailable, and logs it', async () => {
    const user = h.identity.create('set-without-directory');
    await h.bus.send(P.AttachUserPolicy, { UserName: 'set-without-directory', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    h.directory.failure = new IamError('ServiceUnavailable', 'The directory service is unavailable: no answer within 5000 ms.');
    try {
      await expect(failure(policySet(user.UserId))).resolves.toEqual({
        code: 'ServiceUnavailable',
        message: 'The directory service is unavailable: no answer within 5000 ms.',
      });
    } finally {
      h.directory.failure = undefined;
    }
    expect(logs.lines.some((line) => line.includes(`Could not read the policy set for user ${user.UserId}`) && line.includes('answered ServiceUnavailable'))).toBe(true);
  });

  it('answers ServiceFailure naming the policy when a stored document no longer compiles, rather than leave it out', async () => {
    const user = h.identity.create('set-corrupted');
    await h.bus.send(P.PutUserPolicy, { UserName: 'set-corrupted', PolicyName: 'Fine', PolicyDocument: policy(allow('s3:*')) });
    const corrupted = await managed('SetCorrupted', policy(deny('s3:DeleteObject')));
    await h.bus.send(P.AttachUserPolicy, { UserName: 'set-corrupted', PolicyArn: corrupted.Arn });
    await expect(policySet(user.UserId)).resolves.toMatchObject({ Policies: [{ PolicyName: 'Fine' }, { PolicyName: 'SetCorrupted' }] });
    const client = new Client({ connectionString: h.database.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO "authorization".policy_versions (policy_id, version_id, version_number, document, create_date) VALUES ($1, 'v7', 7, '{"Statement": [', now())`,
        [corrupted.PolicyId],
      );
      await client.query(`UPDATE "authorization".policies SET default_version = 'v7' WHERE policy_id = $1`, [corrupted.PolicyId]);
    } finally {
      await client.end();
    }
    await expect(failure(policySet(user.UserId))).resolves.toEqual({
      code: 'ServiceFailure',
      message: `The request failed because the stored policy ${corrupted.PolicyId} does not compile.`,
    });
    // Authorize denies, naming the same reason.
    await expect(authorize(user.UserId, 's3:GetObject', 'arn:aws:s3:::b/k')).resolves.toEqual({
      Decision: 'implicitDeny',
      MatchedStatements: [],
      MissingContextKeys: [],
      Error: `ServiceFailure: The request failed because the stored policy ${corrupted.PolicyId} does not compile.`,
    });
  });

  it('40 concurrent replies at a time, interleaved with attaches and detaches, each show every write that returned before it was asked', async () => {
    const READERS = 40;
    const WRITES = 8;
    const userName = 'churned';
    const user = h.identity.create(userName);
    const group = h.directory.create('churners');
    h.directory.add(user.UserId, group.GroupId);
    const policies = await Promise.all([0, 1, 2, 3].map((n) => managed(`Churn${n}`, policy(allow(`sqs:Action${n}`)))));
    const userRef: PolicyAttachmentRef = { PrincipalType: 'user', PrincipalId: user.UserId };
    const groupRef: PolicyAttachmentRef = { PrincipalType: 'group', PrincipalId: group.GroupId, GroupName: group.GroupName };

    // The model: each holder's attachments in the order attached; `states[k]` is the set after k writes.
    const attached = { user: [] as string[], group: [] as string[] };
    const expected = (): string[] => {
      const out = new Map<string, string[]>();
      for (const name of attached.user) out.set(name, [userRef.PrincipalId]);
      for (const name of attached.group) out.set(name, [...(out.get(name) ?? []), groupRef.PrincipalId]);
      return [...out].map(([name, holders]) => `${name}@${holders.join('+')}`);
    };
    const observed = (set: GetPolicySetReply): string[] => set.Policies.map((entry) => `${entry.PolicyName}@${entry.AttachedTo.map((ref) => ref.PrincipalId).join('+')}`);
    const states: string[][] = [expected()];
    let started = 0;
    let completed = 0;

    const read = async () => {
      const after = completed;
      const set = await policySet(user.UserId);
      return { after, upTo: started, set };
    };

    // Before the first write and after each one returns, 40 calls at once, in flight while the next write runs.
    const replies: Promise<Awaited<ReturnType<typeof read>>>[] = [];
    const burst = () => replies.push(...Array.from({ length: READERS }, () => read()));
    burst();
    for (let step = 0; step < WRITES; step++) {
      const target = policies[step % policies.length];
      const holder = step % 3 === 2 ? 'group' : 'user';
      const list = attached[holder];
      const on = list.includes(target.PolicyName);
      started += 1;
      if (holder === 'user') {
        await h.bus.send(on ? P.DetachUserPolicy : P.AttachUserPolicy, { UserName: userName, PolicyArn: target.Arn });
      } else {
        await h.bus.send(on ? P.DetachGroupPolicy : P.AttachGroupPolicy, { GroupName: group.GroupName, PolicyArn: target.Arn });
      }
      if (on) list.splice(list.indexOf(target.PolicyName), 1);
      else list.push(target.PolicyName);
      states.push(expected());
      completed += 1;
      burst();
    }

    const answered = await Promise.all(replies);
    expect(answered).toHaveLength(READERS * (WRITES + 1));
    for (const { after, upTo, set } of answered) {
      expect(set.Groups).toEqual([{ GroupId: group.GroupId, GroupName: group.GroupName }]);
      // The state after a write that had started when it answered, and not before one that had returned when it was asked.
      expect(states.slice(after, upTo + 1)).toContainEqual(observed(set));
    }
    // Each burst was asked after a different write: the replies saw most of the states.
    expect(new Set(answered.map(({ set }) => observed(set).join(','))).size).toBeGreaterThanOrEqual(WRITES / 2);
    expect(observed(await policySet(user.UserId))).toEqual(states[WRITES]);
  });
});
