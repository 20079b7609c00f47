import { AuthorizationPatterns as P, MAX_PRINCIPALS_PER_REQUEST } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { allow, failure, Harness, policy, policyArn, startAuthorization } from '../../test-support/harness';

describeWithServices('the policies of many principals in one request', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startAuthorization();
    for (const name of ['Zeta', 'Alpha', 'Mid']) await h.bus.send(P.CreatePolicy, { PolicyName: name, PolicyDocument: policy(allow('s3:GetObject')) });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('answers each user and group its attached and inline policies in the order their listings give', async () => {
    const ann = h.identity.create('ann');
    const ben = h.identity.create('ben');
    const idle = h.identity.create('idle');
    const ops = h.directory.create('ops');
    // Attached in an order that is not by name; inline names whose byte order differs from a locale's (which ignores punctuation).
    for (const name of ['Zeta', 'Alpha']) await h.bus.send(P.AttachUserPolicy, { UserName: 'ann', PolicyArn: policyArn(name) });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'ann', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    for (const name of ['b_a', 'B-b', 'a']) {
      await h.bus.send(P.PutUserPolicy, { UserName: 'ann', PolicyName: name, PolicyDocument: policy(allow(`s3:${name.length}`)) });
    }
    await h.bus.send(P.AttachUserPolicy, { UserName: 'ben', PolicyArn: policyArn('Mid') });
    await h.bus.send(P.AttachGroupPolicy, { GroupName: 'ops', PolicyArn: policyArn('Mid') });
    await h.bus.send(P.AttachGroupPolicy, { GroupName: 'ops', PolicyArn: policyArn('Alpha') });
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'ops', PolicyName: 'kept', PolicyDocument: ` ${policy(allow('iam:Get*'))}\n` });

    const reply = await h.bus.send(P.PoliciesOfPrincipals, { UserIds: [ann.UserId, ben.UserId, idle.UserId, 'AIDAUNKNOWN'], GroupIds: [ops.GroupId] });

    const listed = async (kind: 'user' | 'group', name: string) => {
      const attached = await h.bus.send(kind === 'user' ? P.ListAttachedUserPolicies : P.ListAttachedGroupPolicies, (kind === 'user' ? { UserName: name } : { GroupName: name }) as never);
      const names = await h.bus.send(kind === 'user' ? P.ListUserPolicies : P.ListGroupPolicies, (kind === 'user' ? { UserName: name } : { GroupName: name }) as never);
      const InlinePolicies = [];
      for (const PolicyName of names.PolicyNames) {
        const got = await h.bus.send(kind === 'user' ? P.GetUserPolicy : P.GetGroupPolicy, (kind === 'user' ? { UserName: name, PolicyName } : { GroupName: name, PolicyName }) as never);
        InlinePolicies.push({ PolicyName, PolicyDocument: got.PolicyDocument });
      }
      return { AttachedPolicies: attached.AttachedPolicies, InlinePolicies };
    };
    expect(reply.Users[ann.UserId].AttachedPolicies.map((p) => p.PolicyName)).toEqual(['Zeta', 'Alpha', 'IAMReadOnlyAccess']);
    expect(reply.Users[ann.UserId].InlinePolicies.map((p) => p.PolicyName)).toEqual(['a', 'B-b', 'b_a']);
    expect(reply).toEqual({
      Users: {
        [ann.UserId]: await listed('user', 'ann'),
        [ben.UserId]: await listed('user', 'ben'),
        [idle.UserId]: { AttachedPolicies: [], InlinePolicies: [] },
        AIDAUNKNOWN: { AttachedPolicies: [], InlinePolicies: [] },
      },
      Groups: { [ops.GroupId]: await listed('group', 'ops') },
    });
    expect(reply.Groups[ops.GroupId].AttachedPolicies.map((p) => p.PolicyName)).toEqual(['Mid', 'Alpha']);
  });

  it('answers empty maps for no ids, and refuses more ids than one request may name', async () => {
    await expect(h.bus.send(P.PoliciesOfPrincipals, {})).resolves.toEqual({ Users: {}, Groups: {} });
    const ids = Array.from({ length: MAX_PRINCIPALS_PER_REQUEST + 1 }, (_, n) => `AIDA${n}`);
    await expect(failure(h.bus.send(P.PoliciesOfPrincipals, { UserIds: ids }))).resolves.toMatchObject({ code: 'ValidationError' });
  });
});
