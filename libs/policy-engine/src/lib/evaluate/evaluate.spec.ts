/**
 * Evaluation logic: IAM User Guide, "Policy evaluation logic"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
 * and the element pages for Action/NotAction and Resource/NotResource.
 */
import { compilePolicy, createRequestContext, CompiledPolicy, evaluate, RequestContext } from '../../index';

const ACCOUNT = '123456789012';
const policy = (id: string, statement: unknown, version = '2012-10-17'): CompiledPolicy =>
  compilePolicy(JSON.stringify({ Version: version, Statement: statement }), { id, type: 'managed' });
const ctx = (values: Record<string, string | string[]> = {}): RequestContext => createRequestContext(values);
const req = (action: string, resource: string, context = ctx()) => ({ action, resource, context });

describe('Policy evaluation logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)', () => {
  const allowS3 = policy('allow', [{ Sid: 'AllowS3', Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
  const denyDelete = policy('deny', [{ Sid: 'NoDelete', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' }]);

  it('"By default, all requests are implicitly denied"', () => {
    expect(evaluate([], req('s3:GetObject', 'arn:aws:s3:::b/k'))).toEqual({ decision: 'implicitDeny', matchedStatements: [], missingContextKeys: [] });
  });

  it('"An explicit allow in an identity-based ... policy overrides this default"', () => {
    const d = evaluate([allowS3], req('s3:GetObject', 'arn:aws:s3:::b/k'));
    expect(d.decision).toBe('allowed');
    expect(d.matchedStatements).toEqual([{ policyId: 'allow', policyType: 'managed', sid: 'AllowS3', statementIndex: 0, effect: 'Allow' }]);
  });

  it('"An explicit deny in any policy overrides any allows", and names the denying statements only', () => {
    const d = evaluate([allowS3, denyDelete], req('s3:DeleteObject', 'arn:aws:s3:::b/k'));
    expect(d.decision).toBe('explicitDeny');
    expect(d.matchedStatements).toEqual([{ policyId: 'deny', policyType: 'managed', sid: 'NoDelete', statementIndex: 0, effect: 'Deny' }]);
  });

  it('a Deny alone is not an allow', () => {
    expect(evaluate([denyDelete], req('s3:GetObject', 'arn:aws:s3:::b/k')).decision).toBe('implicitDeny');
  });

  it('lists every applying statement, in policy then statement order', () => {
    const a = policy('a', [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }, { Sid: 'Two', Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*' }]);
    const d = evaluate([a, allowS3], req('s3:GetObject', 'arn:aws:s3:::b/k'));
    expect(d.matchedStatements.map((s) => [s.policyId, s.statementIndex])).toEqual([['a', 0], ['a', 1], ['allow', 0]]);
  });

  it('the order of policies does not change the decision', () => {
    const r = req('s3:DeleteObject', 'arn:aws:s3:::b/k');
    expect(evaluate([denyDelete, allowS3], r).decision).toBe(evaluate([allowS3, denyDelete], r).decision);
  });

  it('a statement with a failing condition does not apply', () => {
    const p = policy('p', [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]);
    expect(evaluate([allowS3, p], req('s3:GetObject', '*', ctx({ 'aws:SecureTransport': 'true' }))).decision).toBe('allowed');
    expect(evaluate([allowS3, p], req('s3:GetObject', '*', ctx({ 'aws:SecureTransport': 'false' }))).decision).toBe('explicitDeny');
  });
});

describe('Action and NotAction (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)', () => {
  it('actions match without regard to case', () => {
    const p = policy('p', { Effect: 'Allow', Action: 'S3:getobject', Resource: '*' });
    expect(evaluate([p], req('s3:GetObject', '*')).decision).toBe('allowed');
    expect(evaluate([p], req('S3:GETOBJECT', '*')).decision).toBe('allowed');
  });

  it('"iam:*AccessKey*" matches CreateAccessKey, ListAccessKeys, UpdateAccessKey', () => {
    const p = policy('p', { Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: '*' });
    for (const a of ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey']) {
      expect(evaluate([p], req(a, '*')).decision).toBe('allowed');
    }
    expect(evaluate([p], req('iam:CreateUser', '*')).decision).toBe('implicitDeny');
  });

  it('? matches one character, and the service prefix must match', () => {
    const p = policy('p', { Effect: 'Allow', Action: 'ec2:?escribe*', Resource: '*' });
    expect(evaluate([p], req('ec2:DescribeInstances', '*')).decision).toBe('allowed');
    expect(evaluate([p], req('ec2:Describe', '*')).decision).toBe('allowed');
    expect(evaluate([p], req('ec2:XXDescribe', '*')).decision).toBe('implicitDeny');
    expect(evaluate([p], req('ec3:DescribeInstances', '*')).decision).toBe('implicitDeny');
  });

  it('Allow with NotAction "s3:DeleteBucket" on "arn:aws:s3:::*" allows every other S3 action on S3 resources', () => {
    const p = policy('p', { Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::*' });
    expect(evaluate([p], req('s3:PutObject', 'arn:aws:s3:::b/k')).decision).toBe('allowed');
    expect(evaluate([p], req('s3:DeleteBucket', 'arn:aws:s3:::b')).decision).toBe('implicitDeny');
    // "This does not allow users to use the ListAllMyBuckets S3 API operation, because that action requires the "*" resource."
    expect(evaluate([p], req('s3:ListAllMyBuckets', '*')).decision).toBe('implicitDeny');
  });

  it('Allow with NotAction "iam:*" on "*" allows every action except IAM', () => {
    const p = policy('p', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    expect(evaluate([p], req('ec2:RunInstances', '*')).decision).toBe('allowed');
    expect(evaluate([p], req('iam:CreateUser', '*')).decision).toBe('implicitDeny');
  });

  it('DenyAllUsersNotUsingMFA: Deny with NotAction iam:* and BoolIfExists', () => {
    const deny = policy('mfa', { Sid: 'DenyAllUsersNotUsingMFA', Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } });
    const all = policy('all', { Effect: 'Allow', Action: '*', Resource: '*' });
    expect(evaluate([all, deny], req('s3:GetObject', '*')).decision).toBe('explicitDeny');
    expect(evaluate([all, deny], req('s3:GetObject', '*', ctx({ 'aws:MultiFactorAuthPresent': 'false' }))).decision).toBe('explicitDeny');
    expect(evaluate([all, deny], req('s3:GetObject', '*', ctx({ 'aws:MultiFactorAuthPresent': 'true' }))).decision).toBe('allowed');
    expect(evaluate([all, deny], req('iam:ChangePassword', '*')).decision).toBe('allowed');
  });
});

describe('Resource and NotResource (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)', () => {
  const allow = (resource: unknown, version = '2012-10-17') => policy('p', { Effect: 'Allow', Action: '*', Resource: resource }, version);
  const allowed = (p: CompiledPolicy, resource: string, context = ctx()) => evaluate([p], req('s3:GetObject', resource, context)).decision === 'allowed';

  it('"the IAM user name is case sensitive"', () => {
    const p = allow(`arn:aws:iam::${ACCOUNT}:user/Bob`);
    expect(allowed(p, `arn:aws:iam::${ACCOUNT}:user/Bob`)).toBe(true);
    expect(allowed(p, `arn:aws:iam::${ACCOUNT}:user/bob`)).toBe(false);
  });

  it('"all IAM users whose path is /accounting"', () => {
    const p = allow(`arn:aws:iam::${ACCOUNT}:user/accounting/*`);
    expect(allowed(p, `arn:aws:iam::${ACCOUNT}:user/accounting/alice`)).toBe(true);
    expect(allowed(p, `arn:aws:iam::${ACCOUNT}:user/accounting/team/alice`)).toBe(true);
    expect(allowed(p, `arn:aws:iam::${ACCOUNT}:user/sales/alice`)).toBe(false);
  });

  it('"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*" matches every object of the documented list', () => {
    const p = allow('arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*');
    for (const key of [
      '1/test/object.jpg',
      '1/2/test/object.jpg',
      '1/2/test/3/object.jpg',
      '1/2/3/test/4/object.jpg',
      '1///test///object.jpg',
      '1/test/.jpg',
      '/test/object.jpg',
      '1/test/',
    ]) {
      expect([key, allowed(p, `arn:aws:s3:::DOC-EXAMPLE-BUCKET/${key}`)]).toEqual([key, true]);
    }
  });

  it('... and none of the documented non-matches', () => {
    const p = allow('arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*');
    for (const key of ['1-test/object.jpg', 'test/object.jpg', '1/2/test.jpg']) {
      expect([key, allowed(p, `arn:aws:s3:::DOC-EXAMPLE-BUCKET/${key}`)]).toEqual([key, false]);
    }
  });

  it('a wildcard within a segment does not cross a colon', () => {
    const p = allow('arn:aws:ec2:us-*-1:123456789012:x');
    expect(allowed(p, 'arn:aws:ec2:us-east-1:123456789012:x')).toBe(true);
    expect(allowed(p, 'arn:aws:ec2:us-east:1:123456789012:x')).toBe(false);
    expect(allowed(allow('arn:aws:ec2:us-east-?:1:x'), 'arn:aws:ec2:us-east-::1:x')).toBe(false);
  });

  it('"If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries"', () => {
    expect(allowed(allow('arn:aws:someservice:*:111122223333:finance/*'), 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt')).toBe(true);
    expect(allowed(allow('arn:aws:ec2:*'), `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`)).toBe(true);
    expect(allowed(allow('arn:aws:ec2:*'), `arn:aws:s3:::b`)).toBe(false);
  });

  it('the resource segment may contain colons', () => {
    const p = allow(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/*`);
    expect(allowed(p, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/web:log-stream:abc`)).toBe(true);
  });

  it('Resource "*" matches any resource, "*" included', () => {
    expect(allowed(allow('*'), 'arn:aws:s3:::b')).toBe(true);
    expect(allowed(allow('*'), '*')).toBe(true);
    expect(allowed(allow('arn:aws:s3:::*'), '*')).toBe(false);
  });

  it('several resources are OR', () => {
    const p = allow(['arn:aws:dynamodb:us-east-2:123456789012:table/books_table', 'arn:aws:dynamodb:us-east-2:123456789012:table/magazines_table']);
    expect(allowed(p, 'arn:aws:dynamodb:us-east-2:123456789012:table/magazines_table')).toBe(true);
    expect(allowed(p, 'arn:aws:dynamodb:us-east-2:123456789012:table/news_table')).toBe(false);
  });

  it('"table/${aws:username}" names the current user\'s table', () => {
    const p = allow('arn:aws:dynamodb:us-east-2:123456789012:table/${aws:username}');
    expect(allowed(p, 'arn:aws:dynamodb:us-east-2:123456789012:table/alice', ctx({ 'aws:username': 'alice' }))).toBe(true);
    expect(allowed(p, 'arn:aws:dynamodb:us-east-2:123456789012:table/bob', ctx({ 'aws:username': 'alice' }))).toBe(false);
  });

  it('"If you don\'t include the Version element ... variables like ${aws:username} are treated as literal strings"', () => {
    const literal = compilePolicy(JSON.stringify({ Statement: { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${aws:username}' } }), { id: 'p' });
    expect(allowed(literal, 'arn:aws:s3:::b/alice', ctx({ 'aws:username': 'alice' }))).toBe(false);
    expect(allowed(literal, 'arn:aws:s3:::b/${aws:username}', ctx({ 'aws:username': 'alice' }))).toBe(true);
  });

  it('"a variable that has no value ... will not match any resource"; the other entries still do', () => {
    const p = allow(['arn:aws:s3:::b/${aws:PrincipalTag/team}/*', 'arn:aws:s3:::public/*']);
    expect(allowed(p, 'arn:aws:s3:::b/red/x')).toBe(false);
    expect(allowed(p, 'arn:aws:s3:::b/red/x', ctx({ 'aws:PrincipalTag/team': 'red' }))).toBe(true);
    expect(allowed(p, 'arn:aws:s3:::public/x')).toBe(true);
  });

  it('"${aws:PrincipalTag/team, \'company-wide\'}" falls back to the default', () => {
    const p = allow("arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}");
    expect(allowed(p, 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide')).toBe(true);
    expect(allowed(p, 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow', ctx({ 'aws:PrincipalTag/team': 'yellow' }))).toBe(true);
    expect(allowed(p, 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide', ctx({ 'aws:PrincipalTag/team': 'yellow' }))).toBe(false);
  });

  it('variables are resolved only in the resource segment (after the fifth colon)', () => {
    const p = allow('arn:aws:sqs:${aws:RequestedRegion}:*:q');
    expect(allowed(p, 'arn:aws:sqs:us-east-1:1:q', ctx({ 'aws:RequestedRegion': 'us-east-1' }))).toBe(false);
    const q = allow('arn:aws:sqs:us-east-2:*:${aws:username}-queue');
    expect(allowed(q, 'arn:aws:sqs:us-east-2:123456789012:alice-queue', ctx({ 'aws:username': 'alice' }))).toBe(true);
  });

  it('HRPayroll: Deny s3:* with NotResource denies everything but the Payroll folder', () => {
    const deny = policy('d', { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'] });
    const all = policy('a', { Effect: 'Allow', Action: '*', Resource: '*' });
    expect(evaluate([all, deny], req('s3:GetObject', 'arn:aws:s3:::HRBucket/Payroll/2024.csv')).decision).toBe('allowed');
    expect(evaluate([all, deny], req('s3:GetObject', 'arn:aws:s3:::HRBucket/Other/x')).decision).toBe('explicitDeny');
    // "If the action also included Amazon EC2 actions, then the policy would not deny access to any EC2 resources."
    expect(evaluate([all, deny], req('ec2:RunInstances', '*')).decision).toBe('allowed');
  });

  it('... under NotResource too: the entry excludes nothing, the other entries still do', () => {
    const p = policy('p', { Effect: 'Allow', Action: '*', NotResource: ['arn:aws:s3:::${aws:PrincipalTag/x}/*', 'arn:aws:s3:::private/*'] });
    expect(evaluate([p], req('s3:GetObject', 'arn:aws:s3:::b/k')).decision).toBe('allowed');
    expect(evaluate([p], req('s3:GetObject', 'arn:aws:s3:::private/k')).decision).toBe('implicitDeny');
    expect(evaluate([p], req('s3:GetObject', 'arn:aws:s3:::b/k', ctx({ 'aws:PrincipalTag/x': 'b' }))).decision).toBe('implicitDeny');
  });
});

describe('missingContextKeys (for AWS MissingContextValues)', () => {
  const p = policy('p', [
    { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:username}/*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    { Effect: 'Deny', Action: 's3:Delete*', Resource: '*', Condition: { StringEquals: { 'AWS:SecureTransport': 'x', 'aws:PrincipalTag/team': 'red' } } },
    { Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'ec2:InstanceType': 't2.micro' } } },
    { Effect: 'Allow', Action: 's3:*', Resource: "arn:aws:s3:::c/${aws:PrincipalTag/dept, 'none'}/*" },
  ]);

  it('lists keys of statements whose action matches, as first written, once', () => {
    const d = evaluate([p], req('s3:DeleteObject', 'arn:aws:s3:::x', ctx({ 'aws:username': 'alice' })));
    expect(d.missingContextKeys).toEqual(['aws:SecureTransport', 'aws:PrincipalTag/team']);
  });

  it('includes policy variables without default, not those with one', () => {
    expect(evaluate([p], req('s3:GetObject', 'arn:aws:s3:::x', ctx({ 'aws:SecureTransport': 'true' }))).missingContextKeys).toEqual(['aws:username']);
  });

  it('is empty when the request has every key', () => {
    const d = evaluate([p], req('ec2:RunInstances', '*', ctx({ 'ec2:InstanceType': 't2.micro' })));
    expect(d).toEqual({ decision: 'allowed', matchedStatements: [p.statements[2]], missingContextKeys: [] });
  });
});

describe('fail closed', () => {
  const p = policy('p', { Effect: 'Allow', Action: '*', Resource: '*' });

  it('a context not built by createRequestContext denies with an error', () => {
    const d = evaluate([p], { action: 's3:GetObject', resource: '*', context: { has: () => true, get: () => 'x', keys: [] } });
    expect(d.decision).toBe('implicitDeny');
    expect(d.error?.message).toMatch(/createRequestContext/);
  });

  it('a policy not built by compilePolicy denies with an error', () => {
    const d = evaluate([p, { source: p.source, statements: p.statements } as unknown as CompiledPolicy], req('s3:GetObject', '*'));
    expect(d).toEqual({ decision: 'implicitDeny', matchedStatements: [], missingContextKeys: [], error: { message: 'policies[1] was not built with compilePolicy' } });
  });

  it('a request that is not strings denies with an error', () => {
    const d = evaluate([p], { action: 42 as unknown as string, resource: '*', context: ctx() });
    expect(d.decision).toBe('implicitDeny');
    expect(d.error).toBeDefined();
  });

  it('never throws', () => {
    expect(() => evaluate(null as unknown as CompiledPolicy[], null as unknown as ReturnType<typeof req>)).not.toThrow();
  });
});

describe('loose action shapes IAM accepts', () => {
  it('a wildcard vendor matches actions of every service', () => {
    const p = compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*:Get*', Resource: '*' } }), { id: 'p' });
    const context = createRequestContext({});
    expect(evaluate([p], { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context }).decision).toBe('allowed');
    expect(evaluate([p], { action: 'iam:GetUser', resource: 'arn:aws:iam::1:user/a', context }).decision).toBe('allowed');
    expect(evaluate([p], { action: 'iam:ListUsers', resource: 'arn:aws:iam::1:user/a', context }).decision).toBe('implicitDeny');
  });
});
