import { AuthorizationPatterns as P, DirectoryEvents, IdentityEvents } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { Client } from 'pg';
import { allow, failure, Harness, policy, policyArn, startAuthorization } from '../../test-support/harness';

describeWithServices('principal deletion over NATS and PostgreSQL', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startAuthorization({ replicas: 2 });
    await h.bus.send(P.CreatePolicy, { PolicyName: 'Reads', PolicyDocument: policy(allow('s3:GetObject')) });
  });

  afterAll(async () => {
    await h?.close();
  });

  async function count(sql: string, id: string): Promise<number> {
    const client = new Client({ connectionString: h.database.url });
    await client.connect();
    try {
      return (await client.query(sql, [id])).rows[0].n as number;
    } finally {
      await client.end();
    }
  }

  /** Polls until `check` holds: events are delivered asynchronously. */
  async function eventually(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the condition never held');
  }

  it('counts attached and inline policies, then refuses new ones until cancelled', async () => {
    const user = h.identity.create('leaving');
    await h.bus.send(P.AttachUserPolicy, { UserName: 'leaving', PolicyArn: policyArn('Reads') });
    await h.bus.send(P.PutUserPolicy, { UserName: 'leaving', PolicyName: 'Own', PolicyDocument: policy(allow('s3:*')) });
    await h.bus.send(P.PutUserPolicy, { UserName: 'leaving', PolicyName: 'Own2', PolicyDocument: policy(allow('ec2:*')) });

    const ref = { PrincipalType: 'user' as const, PrincipalId: user.UserId };
    await expect(h.bus.send(P.BeginPrincipalDelete, ref)).resolves.toEqual({ AttachedPolicyCount: 1, InlinePolicyCount: 2 });
    await expect(h.bus.send(P.BeginPrincipalDelete, ref)).resolves.toEqual({ AttachedPolicyCount: 1, InlinePolicyCount: 2 });

    await expect(failure(h.bus.send(P.AttachUserPolicy, { UserName: 'leaving', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name leaving cannot be found.',
    });
    await expect(failure(h.bus.send(P.PutUserPolicy, { UserName: 'leaving', PolicyName: 'More', PolicyDocument: policy(allow('s3:*')) }))).resolves.toMatchObject({
      code: 'NoSuchEntity',
    });
    // Taking policies away stays possible.
    await h.bus.send(P.DeleteUserPolicy, { UserName: 'leaving', PolicyName: 'Own2' });

    await h.bus.send(P.CancelPrincipalDelete, ref);
    await h.bus.send(P.CancelPrincipalDelete, ref);
    await h.bus.send(P.AttachUserPolicy, { UserName: 'leaving', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    await expect(h.bus.send(P.BeginPrincipalDelete, ref)).resolves.toEqual({ AttachedPolicyCount: 2, InlinePolicyCount: 1 });
  });

  it('serializes begin-delete with concurrent attaches: every attach that succeeded is counted, every later one refused', async () => {
    for (let round = 0; round < 5; round++) {
      const user = h.identity.create(`racer${round}`);
      const arns = ['Reads', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess', 'arn:aws:iam::aws:policy/IAMFullAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'];
      const attaches = arns.map((arn) =>
        h.bus
          .send(P.AttachUserPolicy, { UserName: user.UserName, PolicyArn: arn.startsWith('arn:') ? arn : policyArn(arn) })
          .then(() => true)
          .catch(() => false),
      );
      const begin = h.bus.send(P.BeginPrincipalDelete, { PrincipalType: 'user', PrincipalId: user.UserId });
      const [succeeded, counts] = await Promise.all([Promise.all(attaches), begin]);
      const attached = await count('SELECT count(*)::int AS n FROM "authorization".attachments WHERE principal_id = $1', user.UserId);
      expect(attached).toBe(succeeded.filter(Boolean).length);
      expect(counts.AttachedPolicyCount).toBe(attached);
    }
  });

  it('drops a deleted user’s attachments and inline policies on identity.user.deleted, idempotently, on every replica', async () => {
    const user = h.identity.create('gone');
    await h.bus.send(P.AttachUserPolicy, { UserName: 'gone', PolicyArn: policyArn('Reads') });
    await h.bus.send(P.PutUserPolicy, { UserName: 'gone', PolicyName: 'Own', PolicyDocument: policy(allow('s3:*')) });
    await h.bus.emit(IdentityEvents.UserDeleted, { UserId: user.UserId, UserName: 'gone' });
    await h.bus.emit(IdentityEvents.UserDeleted, { UserId: user.UserId, UserName: 'gone' });
    await eventually(async () => (await count('SELECT count(*)::int AS n FROM "authorization".attachments WHERE principal_id = $1', user.UserId)) === 0);
    await eventually(async () => (await count('SELECT count(*)::int AS n FROM "authorization".inline_policies WHERE principal_id = $1', user.UserId)) === 0);
    // Nothing may be attached to the id any more.
    await expect(h.bus.send(P.BeginPrincipalDelete, { PrincipalType: 'user', PrincipalId: user.UserId })).resolves.toEqual({
      AttachedPolicyCount: 0,
      InlinePolicyCount: 0,
    });
  });

  it('drops a deleted group’s attachments and inline policies on directory.group.deleted', async () => {
    const group = h.directory.create('retired');
    await h.bus.send(P.AttachGroupPolicy, { GroupName: 'retired', PolicyArn: policyArn('Reads') });
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'retired', PolicyName: 'Own', PolicyDocument: policy(allow('s3:*')) });
    await h.bus.emit(DirectoryEvents.GroupDeleted, { GroupId: group.GroupId, GroupName: 'retired' });
    await eventually(async () => (await count('SELECT count(*)::int AS n FROM "authorization".attachments WHERE principal_id = $1', group.GroupId)) === 0);
    await eventually(async () => (await count('SELECT count(*)::int AS n FROM "authorization".inline_policies WHERE principal_id = $1', group.GroupId)) === 0);
    await expect(failure(h.bus.send(P.AttachGroupPolicy, { GroupName: 'retired', PolicyArn: policyArn('Reads') }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The group with name retired cannot be found.',
    });
  });

  it('ignores an event without a valid id', async () => {
    await h.bus.emit(IdentityEvents.UserDeleted, { UserName: 'x' } as never);
    await expect(h.bus.send(P.Health, {})).resolves.toMatchObject({ database: 'up' });
  });
});
