import { AuthorizationPatterns as P, ContextEntry } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { ACCOUNT, allow, deny, failure, Harness, policy, startAuthorization } from '../../test-support/harness';

/** A document whose statements' positions are known: statement 0 spans lines 4–9, statement 1 is line 10. */
const LAID_OUT = [
  '{',
  '    "Version": "2012-10-17",',
  '    "Statement": [',
  '        {',
  '            "Sid": "ReadHome",',
  '            "Effect": "Allow",',
  '            "Action": "s3:GetObject",',
  '            "Resource": "arn:aws:s3:::home/${aws:username}/*"',
  '        },',
  '        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::home"}',
  '    ]',
  '}',
].join('\n');

describeWithServices('policy simulation over NATS and PostgreSQL', () => {
  let h: Harness;
  const userArn = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:user${path}${name}`;

  beforeAll(async () => {
    h = await startAuthorization();
    const user = h.identity.create('sim', '/people/');
    const group = h.directory.create('readers');
    h.directory.add(user.UserId, group.GroupId);
    await h.bus.send(P.PutUserPolicy, { UserName: 'sim', PolicyName: 'Home', PolicyDocument: LAID_OUT });
    await h.bus.send(P.CreatePolicy, { PolicyName: 'NoDeletes', PolicyDocument: policy({ ...deny('s3:DeleteObject'), Sid: 'NoDelete' }) });
    await h.bus.send(P.AttachGroupPolicy, { GroupName: 'readers', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/NoDeletes` });
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'readers', PolicyName: 'ReadAll', PolicyDocument: policy(allow(['s3:GetObject', 's3:DeleteObject'], 'arn:aws:s3:::shared/*')) });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'sim', PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' });
  });

  afterAll(async () => {
    await h?.close();
  });

  const simulate = (request: object) => h.bus.send(P.SimulatePrincipalPolicy, { PolicySourceArn: userArn('sim', '/people/'), ...request } as never);

  describe('SimulatePrincipalPolicy', () => {
    it('evaluates each action on each resource with the user’s and its groups’ policies, in order', async () => {
      const reply = await simulate({
        ActionNames: ['s3:GetObject', 's3:DeleteObject'],
        ResourceArns: ['arn:aws:s3:::home/sim/notes.txt', 'arn:aws:s3:::shared/a'],
      });
      expect(reply.IsTruncated).toBe(false);
      expect(reply.EvaluationResults.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision])).toEqual([
        ['s3:GetObject', 'arn:aws:s3:::home/sim/notes.txt', 'allowed'],
        ['s3:GetObject', 'arn:aws:s3:::shared/a', 'allowed'],
        ['s3:DeleteObject', 'arn:aws:s3:::home/sim/notes.txt', 'explicitDeny'],
        ['s3:DeleteObject', 'arn:aws:s3:::shared/a', 'explicitDeny'],
      ]);
      expect(reply.EvaluationResults[0].MatchedStatements).toEqual([
        { SourcePolicyId: 'Home', SourcePolicyType: 'user', StartPosition: { Line: 4, Column: 9 }, EndPosition: { Line: 9, Column: 10 } },
      ]);
      expect(reply.EvaluationResults[1].MatchedStatements).toEqual([
        expect.objectContaining({ SourcePolicyId: 'ReadAll', SourcePolicyType: 'group', StartPosition: { Line: 1, Column: 38 } }),
      ]);
      expect(reply.EvaluationResults[3].MatchedStatements).toEqual([expect.objectContaining({ SourcePolicyId: 'NoDeletes', SourcePolicyType: 'user-managed' })]);
    });

    it('gives statement positions for single-line statements and AWS managed policies', async () => {
      const reply = await simulate({ ActionNames: ['s3:ListBucket', 'iam:GetAccountPasswordPolicy'], ResourceArns: ['arn:aws:s3:::home'] });
      expect(reply.EvaluationResults[0].MatchedStatements).toEqual([
        { SourcePolicyId: 'Home', SourcePolicyType: 'user', StartPosition: { Line: 10, Column: 9 }, EndPosition: { Line: 10, Column: 88 } },
      ]);
      expect(reply.EvaluationResults[1].MatchedStatements).toEqual([expect.objectContaining({ SourcePolicyId: 'IAMUserChangePassword', SourcePolicyType: 'aws-managed' })]);
    });

    it('takes aws:username, aws:userid and aws:PrincipalArn from the user unless given', async () => {
      const own = `arn:aws:iam::${ACCOUNT}:user/people/sim`;
      const defaults = await simulate({ ActionNames: ['iam:ChangePassword'], ResourceArns: [own] });
      expect(defaults.EvaluationResults[0]).toMatchObject({ EvalDecision: 'allowed', MissingContextValues: [] });
      const overridden = await simulate({
        ActionNames: ['iam:ChangePassword'],
        ResourceArns: [own],
        ContextEntries: [{ ContextKeyName: 'AWS:UserName', ContextKeyType: 'string', ContextKeyValues: ['someone-else'] }],
      });
      expect(overridden.EvaluationResults[0].EvalDecision).toBe('implicitDeny');
    });

    it('adds PolicyInputList policies, named PolicyInputList.N', async () => {
      const reply = await simulate({ ActionNames: ['ec2:RunInstances'], PolicyInputList: [policy(allow('ec2:RunInstances'))] });
      expect(reply.EvaluationResults[0]).toMatchObject({
        EvalResourceName: '*',
        EvalDecision: 'allowed',
        MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none', StartPosition: { Line: 1, Column: 38 } }],
      });
    });

    it('caps the result with PermissionsBoundaryPolicyInputList', async () => {
      const boundary = [policy(allow('s3:GetObject', 'arn:aws:s3:::home/*'), deny('s3:*', 'arn:aws:s3:::shared/secret'))];
      const reply = await simulate({
        ActionNames: ['s3:GetObject'],
        ResourceArns: ['arn:aws:s3:::home/sim/a', 'arn:aws:s3:::shared/a', 'arn:aws:s3:::shared/secret'],
        PermissionsBoundaryPolicyInputList: boundary,
      });
      expect(reply.EvaluationResults.map((r) => [r.EvalDecision, r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary])).toEqual([
        ['allowed', true],
        ['implicitDeny', false],
        ['explicitDeny', false],
      ]);
      expect(reply.EvaluationResults[2].MatchedStatements).toEqual([
        expect.objectContaining({ SourcePolicyId: 'PermissionsBoundaryPolicyInputList.1', SourcePolicyType: 'none' }),
      ]);
    });

    it('pages results with MaxItems and Marker', async () => {
      const request = { ActionNames: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], ResourceArns: ['arn:aws:s3:::shared/a', 'arn:aws:s3:::shared/b'] };
      const first = await simulate({ ...request, MaxItems: 4 });
      expect(first).toMatchObject({ IsTruncated: true });
      const second = await simulate({ ...request, MaxItems: 4, Marker: first.Marker });
      expect(second.IsTruncated).toBe(false);
      const all = await simulate(request);
      expect([...first.EvaluationResults, ...second.EvaluationResults]).toEqual(all.EvaluationResults);
      expect(all.EvaluationResults).toHaveLength(6);
    });

    it('simulates a group with the group’s policies only', async () => {
      const reply = await h.bus.send(P.SimulatePrincipalPolicy, {
        PolicySourceArn: `arn:aws:iam::${ACCOUNT}:group/readers`,
        ActionNames: ['s3:GetObject', 'iam:GetAccountPasswordPolicy'],
        ResourceArns: ['arn:aws:s3:::shared/x'],
      });
      expect(reply.EvaluationResults.map((r) => r.EvalDecision)).toEqual(['allowed', 'implicitDeny']);
    });

    it('answers NoSuchEntity for an unknown user, group, role or a user under another path, and InvalidInput for other ARNs', async () => {
      const send = (PolicySourceArn: string) => failure(h.bus.send(P.SimulatePrincipalPolicy, { PolicySourceArn, ActionNames: ['s3:GetObject'] }));
      await expect(send(userArn('ghost'))).resolves.toEqual({ code: 'NoSuchEntity', message: 'The user with name ghost cannot be found.' });
      await expect(send(userArn('sim'))).resolves.toEqual({ code: 'NoSuchEntity', message: 'The user with name sim cannot be found.' });
      await expect(send(`arn:aws:iam::${ACCOUNT}:group/ghosts`)).resolves.toMatchObject({ code: 'NoSuchEntity' });
      await expect(send(`arn:aws:iam::${ACCOUNT}:role/admin`)).resolves.toEqual({ code: 'NoSuchEntity', message: 'The role with name admin cannot be found.' });
      await expect(send('arn:aws:s3:::some-bucket')).resolves.toMatchObject({ code: 'InvalidInput' });
    });
  });

  describe('SimulateCustomPolicy and context entries', () => {
    const custom = (documents: string[], request: object) =>
      h.bus.send(P.SimulateCustomPolicy, { PolicyInputList: documents, ActionNames: ['svc:Do'], ...request } as never);

    it.each<[string, object, ContextEntry[], string]>([
      ['string', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, [{ ContextKeyName: 'aws:RequestedRegion', ContextKeyType: 'string', ContextKeyValues: ['eu-west-1'] }], 'allowed'],
      ['stringList', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, [{ ContextKeyName: 'aws:TagKeys', ContextKeyType: 'stringList', ContextKeyValues: ['team', 'env'] }], 'allowed'],
      ['numeric', { NumericLessThan: { 's3:max-keys': '10' } }, [{ ContextKeyName: 's3:max-keys', ContextKeyType: 'numeric', ContextKeyValues: ['5'] }], 'allowed'],
      ['numericList', { 'ForAllValues:NumericLessThan': { 'svc:Sizes': '10' } }, [{ ContextKeyName: 'svc:Sizes', ContextKeyType: 'numericList', ContextKeyValues: ['1', '20'] }], 'implicitDeny'],
      ['boolean', { Bool: { 'aws:SecureTransport': 'true' } }, [{ ContextKeyName: 'aws:SecureTransport', ContextKeyType: 'boolean', ContextKeyValues: ['true'] }], 'allowed'],
      ['booleanList', { 'ForAnyValue:Bool': { 'svc:Flags': 'true' } }, [{ ContextKeyName: 'svc:Flags', ContextKeyType: 'booleanList', ContextKeyValues: ['false', 'true'] }], 'allowed'],
      ['ip', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['10.2.3.4'] }], 'allowed'],
      ['ipList', { 'ForAnyValue:IpAddress': { 'svc:Ips': '192.168.0.0/16' } }, [{ ContextKeyName: 'svc:Ips', ContextKeyType: 'ipList', ContextKeyValues: ['10.0.0.1', '192.168.1.1'] }], 'allowed'],
      ['binary', { BinaryEquals: { 'svc:Blob': 'aGVsbG8=' } }, [{ ContextKeyName: 'svc:Blob', ContextKeyType: 'binary', ContextKeyValues: ['aGVsbG8='] }], 'allowed'],
      ['binaryList', { 'ForAnyValue:BinaryEquals': { 'svc:Blobs': 'aGVsbG8=' } }, [{ ContextKeyName: 'svc:Blobs', ContextKeyType: 'binaryList', ContextKeyValues: ['d29ybGQ=', 'aGVsbG8='] }], 'allowed'],
      ['date', { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, [{ ContextKeyName: 'aws:CurrentTime', ContextKeyType: 'date', ContextKeyValues: ['2029-06-01T00:00:00Z'] }], 'allowed'],
      ['dateList', { 'ForAllValues:DateGreaterThan': { 'svc:Dates': '2020-01-01T00:00:00Z' } }, [{ ContextKeyName: 'svc:Dates', ContextKeyType: 'dateList', ContextKeyValues: ['2021-01-01T00:00:00Z', '2019-01-01T00:00:00Z'] }], 'implicitDeny'],
    ])('takes %s context entries', async (_type, condition, entries, decision) => {
      const reply = await custom([policy(allow('svc:Do', '*', { Condition: condition }))], { ContextEntries: entries });
      expect(reply.EvaluationResults[0].EvalDecision).toBe(decision);
    });

    it('refuses a value that is not of its type with InvalidInput', async () => {
      const error = await failure(custom([policy(allow('svc:Do'))], { ContextEntries: [{ ContextKeyName: 's3:max-keys', ContextKeyType: 'numeric', ContextKeyValues: ['many'] }] }));
      expect(error.code).toBe('InvalidInput');
      expect(error.message).toContain('many');
      const ip = await failure(custom([policy(allow('svc:Do'))], { ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['300.1.1.1'] }] }));
      expect(ip.code).toBe('InvalidInput');
      const type = await failure(custom([policy(allow('svc:Do'))], { ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ipv6', ContextKeyValues: ['::1'] }] }));
      expect(type.code).toBe('ValidationError');
    });

    it('names missing context values', async () => {
      const reply = await custom([policy(allow('svc:Do', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }))], {});
      expect(reply.EvaluationResults[0]).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: ['aws:MultiFactorAuthPresent'] });
    });

    it('refuses a malformed input policy with MalformedPolicyDocument', async () => {
      const error = await failure(custom(['{"Version": "2012-10-17", "Statement": {"Effect": "Allow"}}'], {}));
      expect(error.code).toBe('MalformedPolicyDocument');
      expect(error.message).toBe('Policy statement must contain actions.');
    });
  });

  describe('context keys', () => {
    it('lists the keys of a user’s policies (with its groups’) and of input policies', async () => {
      const reply = await h.bus.send(P.GetContextKeysForPrincipalPolicy, {
        PolicySourceArn: userArn('sim', '/people/'),
        PolicyInputList: [policy(allow('s3:*', '*', { Condition: { StringEquals: { 's3:prefix': 'home/', 'AWS:USERNAME': 'x' } } }))],
      });
      expect(reply.ContextKeyNames).toEqual(['aws:username', 's3:prefix']);
    });

    it('lists the keys of custom policies', async () => {
      const reply = await h.bus.send(P.GetContextKeysForCustomPolicy, {
        PolicyInputList: [
          policy(allow('s3:*', 'arn:aws:s3:::b/${aws:PrincipalTag/team}/*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })),
          policy(allow('s3:*', '*', { Condition: { Bool: { 'aws:sourceip': 'true' } } })),
        ],
      });
      expect(reply.ContextKeyNames).toEqual(['aws:PrincipalTag/team', 'aws:SourceIp']);
    });
  });
});
