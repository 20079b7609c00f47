/**
 * The revocation rule with two replicas of the service on one NATS subject
 * prefix and one database: requests are spread over both by the queue group.
 * A revoking call must be in force for every decision that starts after it
 * returned, whichever replica answers, even one that decided (and compiled
 * the policies) before.
 */
import { AuthorizationPatterns as P, AuthorizeReply } from '@iam/contracts';
import { startService } from '@iam/platform';
import { describeWithServices, silentLogger } from '@iam/testing';
import { AuthorizationServiceModule } from '../authorization-service.module';
import { AuthorizationEnv, authorizationOptions } from '../authorization.options';
import { CompiledPolicies } from '../documents/compiled-policies';
import { contentHash } from '../inline/inline-policies.service';
import { ACCOUNT, allow, failure, Harness, policy, startAuthorization } from '../../test-support/harness';

const DECISIONS_AFTER = 30;

describeWithServices('revocation with two authorization replicas', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startAuthorization({ replicas: 2 });
  });

  afterAll(async () => {
    await h?.close();
  });

  const authorize = (userId: string, action: string, resource = '*'): Promise<AuthorizeReply> =>
    h.bus.send(P.Authorize, { Principal: { Type: 'user', UserId: userId }, Action: action, Resource: resource });

  /** Decides until both replicas have compiled `key` (so both hold it in their caches), all allowed. */
  async function warmBoth(userId: string, action: string, key: string): Promise<void> {
    const caches = h.replicas.map((replica) => replica.get(CompiledPolicies));
    for (let i = 0; i < 400 && !caches.every((cache) => cache.get(key) !== undefined); i++) {
      expect((await authorize(userId, action)).Decision).toBe('allowed');
    }
    expect(caches.every((cache) => cache.get(key) !== undefined)).toBe(true);
  }

  /** Every one of many decisions, spread over both replicas, is `decision`. */
  async function everyDecision(userId: string, action: string, decision: string): Promise<void> {
    const replies = await Promise.all(Array.from({ length: DECISIONS_AFTER }, () => authorize(userId, action)));
    expect(replies.map((reply) => reply.Decision)).toEqual(Array(DECISIONS_AFTER).fill(decision));
  }

  /** Polls until `check` holds: events are delivered asynchronously. */
  async function eventually(check: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(check()).toBe(true);
  }

  it('every replica compiles a written document before a decision needs it, and a starting replica compiles those in use', async () => {
    const caches = h.replicas.map((replica) => replica.get(CompiledPolicies));
    const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: 'Warm', PolicyDocument: policy(allow('kinesis:PutRecord')) });
    await eventually(() => caches.every((cache) => cache.get(CompiledPolicies.managedKey(Policy.PolicyId, 'v1')) !== undefined));
    const v2 = await h.bus.send(P.CreatePolicyVersion, { PolicyArn: Policy.Arn, PolicyDocument: policy(allow('kinesis:GetRecords')) });
    await eventually(() => caches.every((cache) => cache.get(CompiledPolicies.managedKey(Policy.PolicyId, v2.PolicyVersion.VersionId)) !== undefined));
    const user = h.identity.create('warm');
    const document = policy(allow('kinesis:ListStreams'));
    await h.bus.send(P.PutUserPolicy, { UserName: 'warm', PolicyName: 'Streams', PolicyDocument: document });
    await eventually(() => caches.every((cache) => cache.get(CompiledPolicies.inlineKey(user.UserId, 'Streams', contentHash(document))) !== undefined));

    await h.bus.send(P.AttachUserPolicy, { UserName: 'warm', PolicyArn: Policy.Arn });
    const env = AuthorizationEnv.parse({ DATABASE_URL: h.database.url, IAM_ACCOUNT_ID: ACCOUNT, IAM_DB_POOL_SIZE: '2' });
    const third = await startService({
      name: 'authorization',
      module: AuthorizationServiceModule.register(authorizationOptions(env, h.transport)),
      transport: h.transport,
      logger: silentLogger('authorization'),
    });
    try {
      const cache = third.get(CompiledPolicies);
      expect(cache.get(CompiledPolicies.managedKey(Policy.PolicyId, 'v1'))).toBeDefined();
      expect(cache.get(CompiledPolicies.inlineKey(user.UserId, 'Streams', contentHash(document)))).toBeDefined();
      // A version not in use is compiled when a decision first needs it.
      expect(cache.get(CompiledPolicies.managedKey(Policy.PolicyId, 'v2'))).toBeUndefined();
    } finally {
      await third.close();
    }
  });

  it('a detach', async () => {
    const user = h.identity.create('detached');
    const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: 'Queue', PolicyDocument: policy(allow('sqs:SendMessage')) });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'detached', PolicyArn: Policy.Arn });
    await warmBoth(user.UserId, 'sqs:SendMessage', CompiledPolicies.managedKey(Policy.PolicyId, 'v1'));
    await h.bus.send(P.DetachUserPolicy, { UserName: 'detached', PolicyArn: Policy.Arn });
    await everyDecision(user.UserId, 'sqs:SendMessage', 'implicitDeny');
  });

  it('a detach from a group', async () => {
    const user = h.identity.create('grouped');
    const group = h.directory.create('senders');
    h.directory.add(user.UserId, group.GroupId);
    const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: 'Topic', PolicyDocument: policy(allow('sns:Publish')) });
    await h.bus.send(P.AttachGroupPolicy, { GroupName: 'senders', PolicyArn: Policy.Arn });
    await warmBoth(user.UserId, 'sns:Publish', CompiledPolicies.managedKey(Policy.PolicyId, 'v1'));
    await h.bus.send(P.DetachGroupPolicy, { GroupName: 'senders', PolicyArn: Policy.Arn });
    await everyDecision(user.UserId, 'sns:Publish', 'implicitDeny');
  });

  it('a new default version', async () => {
    const user = h.identity.create('versioned');
    const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: 'Table', PolicyDocument: policy(allow('dynamodb:PutItem')) });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'versioned', PolicyArn: Policy.Arn });
    await warmBoth(user.UserId, 'dynamodb:PutItem', CompiledPolicies.managedKey(Policy.PolicyId, 'v1'));
    await h.bus.send(P.CreatePolicyVersion, { PolicyArn: Policy.Arn, PolicyDocument: policy(allow('dynamodb:GetItem')), SetAsDefault: true });
    await everyDecision(user.UserId, 'dynamodb:PutItem', 'implicitDeny');
    await everyDecision(user.UserId, 'dynamodb:GetItem', 'allowed');
    // And back: setting the old default again is in force at once too.
    await h.bus.send(P.SetDefaultPolicyVersion, { PolicyArn: Policy.Arn, VersionId: 'v1' });
    await everyDecision(user.UserId, 'dynamodb:GetItem', 'implicitDeny');
  });

  it('a deleted inline policy, and a replaced one', async () => {
    const user = h.identity.create('inlined');
    const document = policy(allow('logs:PutLogEvents'));
    await h.bus.send(P.PutUserPolicy, { UserName: 'inlined', PolicyName: 'Logs', PolicyDocument: document });
    await warmBoth(user.UserId, 'logs:PutLogEvents', CompiledPolicies.inlineKey(user.UserId, 'Logs', contentHash(document)));
    await h.bus.send(P.PutUserPolicy, { UserName: 'inlined', PolicyName: 'Logs', PolicyDocument: policy(allow('logs:GetLogEvents')) });
    await everyDecision(user.UserId, 'logs:PutLogEvents', 'implicitDeny');
    await everyDecision(user.UserId, 'logs:GetLogEvents', 'allowed');
    await h.bus.send(P.DeleteUserPolicy, { UserName: 'inlined', PolicyName: 'Logs' });
    await everyDecision(user.UserId, 'logs:GetLogEvents', 'implicitDeny');
  });

  it('a removed membership', async () => {
    const user = h.identity.create('member');
    const group = h.directory.create('builders');
    h.directory.add(user.UserId, group.GroupId);
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'builders', PolicyName: 'Build', PolicyDocument: policy(allow('codebuild:StartBuild')) });
    await everyDecision(user.UserId, 'codebuild:StartBuild', 'allowed');
    // Directory answers the removal before RemoveUserFromGroup returns; the next decisions read it.
    h.directory.removeMember(user.UserId, group.GroupId);
    await everyDecision(user.UserId, 'codebuild:StartBuild', 'implicitDeny');
  });

  it('a deleted user: its delete stops new grants, and what it had is gone', async () => {
    const user = h.identity.create('leaver');
    const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: 'Secrets', PolicyDocument: policy(allow('secretsmanager:GetSecretValue')) });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'leaver', PolicyArn: Policy.Arn });
    await warmBoth(user.UserId, 'secretsmanager:GetSecretValue', CompiledPolicies.managedKey(Policy.PolicyId, 'v1'));

    // Identity's DeleteUser: the user must hold no policies (else DeleteConflict), then it is gone.
    const ref = { PrincipalType: 'user' as const, PrincipalId: user.UserId };
    await expect(h.bus.send(P.BeginPrincipalDelete, ref)).resolves.toEqual({ AttachedPolicyCount: 1, InlinePolicyCount: 0 });
    await h.bus.send(P.CancelPrincipalDelete, ref);
    await h.bus.send(P.DetachUserPolicy, { UserName: 'leaver', PolicyArn: Policy.Arn });
    await expect(h.bus.send(P.BeginPrincipalDelete, ref)).resolves.toEqual({ AttachedPolicyCount: 0, InlinePolicyCount: 0 });
    // An attach racing with the delete is refused, so nothing is granted to the id again.
    await expect(failure(h.bus.send(P.AttachUserPolicy, { UserName: 'leaver', PolicyArn: Policy.Arn }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
    h.identity.remove(user.UserId);
    await everyDecision(user.UserId, 'secretsmanager:GetSecretValue', 'implicitDeny');
  });
});
