import { randomBytes } from 'node:crypto';
import { AuthorizationPatterns as A, AuthorizeReply, DirectoryPatterns as D, IamError, IdentityPatterns as I } from '@iam/contracts';
import { decisionMismatches, loadScenarios, policyText } from '@iam/policy-engine/testing';
import { createTestDatabase, describeWithServices, TEST_NATS_URL, testBusClient, TestDatabase } from '@iam/testing';
import { RunningProcess, startApp } from './support/processes';

// These specs start whole systems as processes.
jest.setTimeout(180_000);

const ACCOUNT = '123456789012';

/**
 * The authorization service as operators run it: two replicas as processes
 * next to identity and directory, on one NATS and one PostgreSQL. Decisions
 * spread over both replicas keep the revocation rule across services, the
 * delete protocol with directory holds, and the policy engine's scenarios
 * give the same decisions with real users, groups and memberships.
 */
describeWithServices('authorization: two replicas with identity and directory, as processes', () => {
  let database: TestDatabase;
  let bus: Awaited<ReturnType<typeof testBusClient>>;
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const prefix = `e2e${randomBytes(4).toString('hex')}`;
    const env = {
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: database.url,
      IAM_BUS_SUBJECT_PREFIX: prefix,
      IAM_ACCOUNT_ID: ACCOUNT,
      IAM_DB_POOL_SIZE: '3',
      // Each message handled is one line at debug: the spec counts them per replica.
      LOG_LEVEL: 'debug',
    };
    for (const app of ['identity', 'directory', 'authorization', 'authorization']) processes.push(startApp(app, env));
    await Promise.all(processes.map((p) => p.waitForLine(/is listening on the bus/)));
    bus = await testBusClient({ kind: 'nats', url: TEST_NATS_URL, prefix }, 10_000);
  });

  afterAll(async () => {
    await bus?.close();
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await database?.drop();
  });

  const authorize = (UserId: string, Action: string, Resource = '*', Context?: Record<string, string | string[]>): Promise<AuthorizeReply> =>
    bus.send(A.Authorize, { Principal: { Type: 'user', UserId }, Action, Resource, ...(Context ? { Context } : {}) });

  async function every(UserId: string, action: string, decision: string, times = 20): Promise<void> {
    const replies = await Promise.all(Array.from({ length: times }, () => authorize(UserId, action)));
    expect(replies.map((reply) => reply.Decision)).toEqual(Array(times).fill(decision));
  }

  it('answers decisions from both replicas', async () => {
    const { User } = await bus.send(I.CreateUser, { UserName: 'spread' });
    await bus.send(A.AttachUserPolicy, { UserName: 'spread', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    await every(User.UserId, 'iam:ListUsers', 'allowed', 60);
    const handled = (p: RunningProcess) => p.lines.filter((line) => line.includes('authorization.authorize') && line.includes('"outcome":"ok"')).length;
    const [first, second] = processes.slice(2);
    expect(handled(first)).toBeGreaterThan(0);
    expect(handled(second)).toBeGreaterThan(0);
  });

  it('keeps revocations across services: a removed membership, a detach, a new default version', async () => {
    const { User } = await bus.send(I.CreateUser, { UserName: 'revoked' });
    await bus.send(D.CreateGroup, { GroupName: 'deployers' });
    await bus.send(D.AddUserToGroup, { GroupName: 'deployers', UserName: 'revoked' });
    const { Policy } = await bus.send(A.CreatePolicy, {
      PolicyName: 'Deploy',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'codedeploy:CreateDeployment', Resource: '*' }] }),
    });
    await bus.send(A.AttachGroupPolicy, { GroupName: 'deployers', PolicyArn: Policy.Arn });
    await every(User.UserId, 'codedeploy:CreateDeployment', 'allowed');

    await bus.send(D.RemoveUserFromGroup, { GroupName: 'deployers', UserName: 'revoked' });
    await every(User.UserId, 'codedeploy:CreateDeployment', 'implicitDeny');

    await bus.send(D.AddUserToGroup, { GroupName: 'deployers', UserName: 'revoked' });
    await every(User.UserId, 'codedeploy:CreateDeployment', 'allowed');
    await bus.send(A.DetachGroupPolicy, { GroupName: 'deployers', PolicyArn: Policy.Arn });
    await every(User.UserId, 'codedeploy:CreateDeployment', 'implicitDeny');

    await bus.send(A.AttachUserPolicy, { UserName: 'revoked', PolicyArn: Policy.Arn });
    await every(User.UserId, 'codedeploy:CreateDeployment', 'allowed');
    await bus.send(A.CreatePolicyVersion, {
      PolicyArn: Policy.Arn,
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'codedeploy:GetDeployment', Resource: '*' }] }),
      SetAsDefault: true,
    });
    await every(User.UserId, 'codedeploy:CreateDeployment', 'implicitDeny');
    await every(User.UserId, 'codedeploy:GetDeployment', 'allowed');
  });

  it('holds the delete protocol with directory: a group cannot be deleted while it has policies', async () => {
    await bus.send(D.CreateGroup, { GroupName: 'temporary' });
    await bus.send(A.AttachGroupPolicy, { GroupName: 'temporary', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    const conflict = await bus.send(D.DeleteGroup, { GroupName: 'temporary' }).catch((error: IamError) => error);
    expect(conflict).toMatchObject({ code: 'DeleteConflict', message: 'Cannot delete entity, must detach all policies first.' });
    // The refused delete was cancelled: policies may be attached again.
    await bus.send(A.AttachGroupPolicy, { GroupName: 'temporary', PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' });
    await bus.send(A.DetachGroupPolicy, { GroupName: 'temporary', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    await bus.send(A.DetachGroupPolicy, { GroupName: 'temporary', PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' });
    await bus.send(D.DeleteGroup, { GroupName: 'temporary' });
    await expect(bus.send(A.ListAttachedGroupPolicies, { GroupName: 'temporary' })).rejects.toMatchObject({ code: 'NoSuchEntity' });
  });

  it('holds the delete protocol with identity: a user cannot be deleted while it has policies; once deleted, every decision denies', async () => {
    const { User } = await bus.send(I.CreateUser, { UserName: 'leaving' });
    await bus.send(A.AttachUserPolicy, { UserName: 'leaving', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    await bus.send(A.PutUserPolicy, {
      UserName: 'leaving',
      PolicyName: 'Own',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
    });
    await every(User.UserId, 's3:GetObject', 'allowed');
    await expect(bus.send(I.DeleteUser, { UserName: 'leaving' })).rejects.toMatchObject({ code: 'DeleteConflict' });
    // The refused delete was cancelled: the user keeps its policies and may be given more.
    await every(User.UserId, 's3:GetObject', 'allowed');
    await bus.send(A.AttachUserPolicy, { UserName: 'leaving', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    for (const PolicyArn of ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess']) {
      await bus.send(A.DetachUserPolicy, { UserName: 'leaving', PolicyArn });
    }
    await bus.send(A.DeleteUserPolicy, { UserName: 'leaving', PolicyName: 'Own' });
    await bus.send(I.DeleteUser, { UserName: 'leaving' });
    await every(User.UserId, 's3:GetObject', 'implicitDeny');
    await expect(bus.send(A.AttachUserPolicy, { UserName: 'leaving', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' })).rejects.toMatchObject({
      code: 'NoSuchEntity',
    });
  });

  it('gives the policy engine’s decisions for its scenarios, with real users, groups and memberships', async () => {
    const scenarios = loadScenarios();
    let checked = 0;
    for (const [index, scenario] of scenarios.entries()) {
      const prefix = `s${index}`;
      const { User } = await bus.send(I.CreateUser, { UserName: `${prefix}-${scenario.principal?.userName ?? 'user'}` });
      const groups = new Map<string, string>();
      const names = [
        ...(scenario.principal?.groups ?? []),
        ...scenario.policies.flatMap((p) => (p.attachedTo?.startsWith('group:') ? [p.attachedTo.slice('group:'.length)] : [])),
      ];
      for (const name of names) {
        if (groups.has(name)) continue;
        const GroupName = `${prefix}-${name}`;
        await bus.send(D.CreateGroup, { GroupName });
        await bus.send(D.AddUserToGroup, { GroupName, UserName: User.UserName });
        groups.set(name, GroupName);
      }
      const idOf = new Map<string, string>();
      for (const policy of scenario.policies) {
        const target = policy.attachedTo ?? 'user';
        if (policy.type === 'inline') {
          // Inline policies may say Version 2008-10-17 or none; managed ones may not.
          const PolicyName = `${prefix}-${policy.id}`;
          idOf.set(PolicyName, policy.id);
          if (target === 'user') await bus.send(A.PutUserPolicy, { UserName: User.UserName, PolicyName, PolicyDocument: policyText(policy) });
          else await bus.send(A.PutGroupPolicy, { GroupName: groups.get(target.slice('group:'.length)) as string, PolicyName, PolicyDocument: policyText(policy) });
          continue;
        }
        const { Policy } = await bus.send(A.CreatePolicy, { PolicyName: `${prefix}-${policy.id}`, PolicyDocument: policyText(policy) });
        idOf.set(Policy.PolicyName, policy.id);
        if (target === 'user') await bus.send(A.AttachUserPolicy, { UserName: User.UserName, PolicyArn: Policy.Arn });
        else await bus.send(A.AttachGroupPolicy, { GroupName: groups.get(target.slice('group:'.length)) as string, PolicyArn: Policy.Arn });
      }
      for (const testCase of scenario.cases) {
        const reply = await authorize(User.UserId, testCase.request.action, testCase.request.resource, testCase.request.context as Record<string, string | string[]> | undefined);
        const observed = {
          decision: reply.Decision,
          matchedStatements: reply.MatchedStatements.map((s) => ({ policyId: idOf.get(s.PolicyName) ?? s.PolicyName, statementIndex: s.StatementIndex, ...(s.Sid ? { sid: s.Sid } : {}) })),
          missingContextKeys: reply.MissingContextKeys,
        };
        // Directory lists a user's groups by name, which may reorder policies of several groups:
        // there, statements and missing keys are compared as sets.
        const expected = groups.size > 1 ? { ...testCase.expect, matchedStatements: undefined, missingContextKeys: undefined } : testCase.expect;
        expect({ scenario: scenario.file, case: testCase.name, mismatches: decisionMismatches(expected, observed) }).toEqual({
          scenario: scenario.file,
          case: testCase.name,
          mismatches: [],
        });
        if (groups.size > 1 && testCase.expect.matchedStatements) {
          const key = (s: { policyId: string; statementIndex: number }) => `${s.policyId}#${s.statementIndex}`;
          expect(observed.matchedStatements.map(key).sort()).toEqual(testCase.expect.matchedStatements.map(key).sort());
        }
        if (groups.size > 1 && testCase.expect.missingContextKeys) {
          const lower = (keys: readonly string[]) => keys.map((k) => k.toLowerCase()).sort();
          expect(lower(observed.missingContextKeys)).toEqual(lower(testCase.expect.missingContextKeys));
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(100);
  });
});
