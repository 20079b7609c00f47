/**
 * Grammar rules of identity-based policies (IAM User Guide, "Grammar of the IAM JSON
 * policy language", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html,
 * and the element pages). Each rule has a passing and a failing document; failures name
 * the exact JSON path.
 */
import {
  compilePolicy,
  GROUP_INLINE_POLICIES_MAX_SIZE,
  MANAGED_POLICY_MAX_SIZE,
  PolicyDocumentError,
  policyDocumentSize,
  USER_INLINE_POLICIES_MAX_SIZE,
  validatePolicyDocument,
} from '../../index';

const ok = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
const doc = (statement: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ Version: '2012-10-17', ...extra, Statement: statement });
const withStatement = (patch: Record<string, unknown>, drop: string[] = []): string => {
  const st: Record<string, unknown> = { ...ok, ...patch };
  for (const d of drop) delete st[d];
  return doc([st]);
};

interface Rule {
  rule: string;
  valid: string[];
  invalid: { text: string; path: string; message: RegExp }[];
}

const rules: Rule[] = [
  {
    rule: 'the document is JSON',
    valid: [doc(ok)],
    invalid: [
      { text: '{"Version": "2012-10-17", "Statement": [', path: '', message: /not valid JSON: .* at line 1, column 41/ },
      { text: "{'Version': '2012-10-17'}", path: '', message: /not valid JSON/ },
      { text: doc(ok) + ' x', path: '', message: /after the end of the document/ },
    ],
  },
  {
    rule: 'the document is an object',
    valid: [doc(ok)],
    invalid: [{ text: '[]', path: '', message: /must be a JSON object, found an array/ }],
  },
  {
    rule: 'Version is 2012-10-17 or 2008-10-17, or absent',
    valid: [doc(ok), JSON.stringify({ Version: '2008-10-17', Statement: ok }), JSON.stringify({ Statement: ok })],
    invalid: [
      { text: JSON.stringify({ Version: '2012-10-18', Statement: ok }), path: 'Version', message: /Version must be "2012-10-17" or "2008-10-17", found "2012-10-18"/ },
      { text: JSON.stringify({ Version: 2012, Statement: ok }), path: 'Version', message: /found 2012/ },
    ],
  },
  {
    rule: 'Statement is required',
    valid: [doc(ok)],
    invalid: [{ text: JSON.stringify({ Version: '2012-10-17' }), path: '', message: /missing Statement/ }],
  },
  {
    rule: 'Statement is one object or a non-empty array of objects',
    valid: [doc(ok), doc([ok, ok])],
    invalid: [
      { text: doc([]), path: 'Statement', message: /at least one statement/ },
      { text: doc('x'), path: 'Statement', message: /object or an array of objects/ },
      { text: doc([ok, 7]), path: 'Statement[1]', message: /a statement must be an object, found 7/ },
    ],
  },
  {
    rule: 'Id is an optional string',
    valid: [doc(ok), doc(ok, { Id: 'x' })],
    invalid: [{ text: doc(ok, { Id: 5 }), path: 'Id', message: /Id must be a string, found 5/ }],
  },
  {
    rule: 'no unknown top-level elements',
    valid: [doc(ok)],
    invalid: [{ text: doc(ok, { Statements: [] }), path: 'Statements', message: /unknown policy element "Statements"/ }],
  },
  {
    rule: 'no repeated elements',
    valid: [doc(ok)],
    invalid: [
      { text: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}', path: 'Statement.Effect', message: /element "Effect" appears more than once/ },
      {
        text: '{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"a"},"StringEquals":{"aws:username":"b"}}}]}',
        path: 'Statement[0].Condition.StringEquals',
        message: /appears more than once/,
      },
    ],
  },
  {
    rule: 'no unknown statement elements',
    valid: [doc(ok)],
    invalid: [{ text: withStatement({ Resources: '*' }), path: 'Statement[0].Resources', message: /unknown statement element "Resources"/ }],
  },
  {
    rule: 'no Principal or NotPrincipal in identity-based policies',
    valid: [doc(ok)],
    invalid: [
      { text: withStatement({ Principal: '*' }), path: 'Statement[0].Principal', message: /Principal is not allowed in an identity-based policy/ },
      { text: withStatement({ NotPrincipal: { AWS: '*' } }), path: 'Statement[0].NotPrincipal', message: /NotPrincipal is not allowed/ },
    ],
  },
  {
    rule: 'Sid is an optional string',
    valid: [doc(ok), withStatement({ Sid: 'AllowRead1' }), withStatement({ Sid: 'Allow_Read_1' })],
    invalid: [
      { text: withStatement({ Sid: 1 }), path: 'Statement[0].Sid', message: /Sid must be a string, found 1/ },
    ],
  },
  {
    rule: 'Sid is unique within the policy',
    valid: [doc([{ ...ok, Sid: 'A' }, { ...ok, Sid: 'B' }])],
    invalid: [{ text: doc([{ ...ok, Sid: 'A' }, { ...ok, Sid: 'A' }]), path: 'Statement[1].Sid', message: /Sid "A" is already used by Statement\[0\]/ }],
  },
  {
    rule: 'Effect is Allow or Deny',
    valid: [withStatement({ Effect: 'Deny' })],
    invalid: [
      { text: withStatement({ Effect: 'allow' }), path: 'Statement[0].Effect', message: /Effect must be "Allow" or "Deny" exactly as written, found "allow"/ },
      { text: withStatement({ Effect: 'Maybe' }), path: 'Statement[0].Effect', message: /Effect must be "Allow" or "Deny", found "Maybe"/ },
      { text: withStatement({}, ['Effect']), path: 'Statement[0]', message: /missing Effect/ },
    ],
  },
  {
    rule: 'exactly one of Action and NotAction',
    valid: [doc(ok), withStatement({ NotAction: 'iam:*' }, ['Action'])],
    invalid: [
      { text: withStatement({ NotAction: 'iam:*' }), path: 'Statement[0]', message: /both Action and NotAction/ },
      { text: withStatement({}, ['Action']), path: 'Statement[0]', message: /missing Action or NotAction/ },
    ],
  },
  {
    rule: 'Action is a string or a non-empty array of strings',
    valid: [withStatement({ Action: ['s3:Get*', 's3:List*'] })],
    invalid: [
      { text: withStatement({ Action: [] }), path: 'Statement[0].Action', message: /must list at least one action/ },
      { text: withStatement({ Action: ['s3:Get*', 5] }), path: 'Statement[0].Action[1]', message: /entries must be strings, found 5/ },
      { text: withStatement({ Action: { s3: 'Get' } }), path: 'Statement[0].Action', message: /string or an array of strings, found an object/ },
    ],
  },
  {
    rule: 'an action is vendor:anything (IAM checks the shape loosely), or *',
    valid: [
      withStatement({ Action: '*' }),
      withStatement({ Action: 'iam:*AccessKey*' }),
      withStatement({ Action: 'EC2:describe?nstances' }),
      withStatement({ Action: ['iam: asdf safdsf af ', 's3.s:ListBucket', '*:Untag*', 's3:'] }),
    ],
    invalid: [
      { text: withStatement({ Action: ['s3:GetObject', 's3'] }), path: 'Statement[0].Action[1]', message: /action "s3" must have the form service:action/ },
      { text: withStatement({ Action: 'a:b:c' }), path: 'Statement[0].Action', message: /exactly one colon/ },
      { text: withStatement({ Action: 'a a:ListBucket' }), path: 'Statement[0].Action', message: /invalid service prefix "a a"/ },
      { text: withStatement({ Action: 's3*:Get' }), path: 'Statement[0].Action', message: /invalid service prefix "s3\*"/ },
    ],
  },
  {
    rule: 'exactly one of Resource and NotResource',
    valid: [doc(ok), withStatement({ NotResource: 'arn:aws:s3:::b/*' }, ['Resource'])],
    invalid: [
      { text: withStatement({ NotResource: '*' }), path: 'Statement[0]', message: /both Resource and NotResource/ },
      { text: withStatement({}, ['Resource']), path: 'Statement[0]', message: /missing Resource or NotResource/ },
    ],
  },
  {
    rule: 'a resource is * or an ARN',
    valid: [withStatement({ Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*', 'arn:aws:ec2:*', 'arn:aws:fdsasf', 'arn:aws:iam::*:u*/bob', 'arn:aws:iam::1:*'] })],
    invalid: [
      { text: withStatement({ Resource: ['*', 'my-bucket'] }), path: 'Statement[0].Resource[1]', message: /resource "my-bucket" must be "\*" or an ARN/ },
      { text: withStatement({ Resource: 'arn:aws' }), path: 'Statement[0].Resource', message: /has no service/ },
      { text: withStatement({ Resource: 'arn:aws::::b' }), path: 'Statement[0].Resource', message: /an ARN with a service/ },
      { text: withStatement({ Resource: 'arn:aws:s3::b' }), path: 'Statement[0].Resource', message: /an ARN with a service/ },
      { text: withStatement({ Resource: 'arn:nope:s3:::b' }), path: 'Statement[0].Resource', message: /unknown partition "nope"/ },
      { text: withStatement({ Resource: 'arn:aws:iam:::example_bucket' }), path: 'Statement[0].Resource', message: /must name a resource type/ },
      { text: withStatement({ Resource: 'arn:aws:iam:us-east-1:1:user/a' }), path: 'Statement[0].Resource', message: /has a region/ },
      { text: withStatement({ Resource: 'arn:aws:s3:us-east-1::b' }), path: 'Statement[0].Resource', message: /has a region/ },
      { text: withStatement({ Resource: [] }), path: 'Statement[0].Resource', message: /at least one resource/ },
    ],
  },
  {
    rule: 'Condition is {operator: {key: value | [values]}}',
    valid: [
      withStatement({ Condition: { StringEquals: { 'aws:username': ['a', 'b'] }, NumericLessThan: { 's3:max-keys': 10 }, Bool: { 'aws:SecureTransport': true } } }),
      withStatement({ Condition: { StringEquals: { 'aws:username': [] } } }),
    ],
    invalid: [
      { text: withStatement({ Condition: [] }), path: 'Statement[0].Condition', message: /Condition must be an object/ },
      { text: withStatement({ Condition: { StringEquals: 'x' } }), path: 'Statement[0].Condition.StringEquals', message: /block must be an object mapping condition keys to values/ },
      { text: withStatement({ Condition: { StringEquals: { 'aws:username': {} } } }), path: 'Statement[0].Condition.StringEquals.aws:username', message: /strings, numbers or booleans, found an object/ },
      { text: withStatement({ Condition: { StringEquals: { 'aws:username': ['a', null] } } }), path: 'Statement[0].Condition.StringEquals.aws:username[1]', message: /found null/ },
    ],
  },
  {
    rule: 'condition operators are known (an unknown one with an empty block constrains nothing)',
    valid: [withStatement({ Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'a*' }, StringEqualz: {} } })],
    invalid: [
      { text: withStatement({ Condition: { StringEqualz: { 'aws:username': 'a' } } }), path: 'Statement[0].Condition.StringEqualz', message: /unknown condition operator "StringEqualz"/ },
      { text: withStatement({ Condition: { 'ForSomeValues:StringEquals': { 'aws:TagKeys': 'a' } } }), path: 'Statement[0].Condition.ForSomeValues:StringEquals', message: /unknown set operator "ForSomeValues"/ },
      { text: withStatement({ Condition: { NullIfExists: { 'aws:TagKeys': 'true' } } }), path: 'Statement[0].Condition.NullIfExists', message: /Null cannot take IfExists/ },
    ],
  },
  {
    rule: 'condition keys need no service prefix; date values must be dates',
    valid: [withStatement({ Condition: { StringEquals: { 'aws:PrincipalTag/cost:center': 'a', username: 'b' }, DateGreaterThan: { a: '2019-07-01T10:20:30Z' } } })],
    invalid: [
      { text: withStatement({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-*' } } }), path: 'Statement[0].Condition.DateGreaterThan.aws:CurrentTime', message: /"2020-\*" is not a date/ },
      { text: withStatement({ Condition: { DateLessThan: { a: ['2020', '9223372036854775808'] } } }), path: 'Statement[0].Condition.DateLessThan.a[1]', message: /is not a date/ },
    ],
  },
  {
    rule: 'only tab, LF, CR and U+0020 to U+00FF',
    valid: [withStatement({ Condition: { StringEquals: { 'aws:PrincipalTag/city': 'Zürich' } } })],
    invalid: [{ text: withStatement({ Condition: { StringEquals: { 'aws:PrincipalTag/city': 'Київ' } } }), path: '', message: /character U\+041A at line 1, column \d+ is not allowed/ }],
  },
];

describe('policy grammar (IAM User Guide, Grammar of the IAM JSON policy language)', () => {
  describe.each(rules.map((r) => [r.rule, r] as const))('%s', (_rule, r) => {
    it.each(r.valid.map((t) => [t]))('accepts %s', (text) => {
      expect(validatePolicyDocument(text)).toEqual([]);
    });
    it.each(r.invalid.map((c) => [c.text, c] as const))('rejects %s', (_t, c) => {
      const errors = validatePolicyDocument(c.text);
      expect(errors).toContainEqual(expect.objectContaining({ code: 'MalformedPolicyDocument', path: c.path, message: expect.stringMatching(c.message) }));
    });
  });

  it('reports every problem, in the order IAM checks them; the first is IAM\'s answer', () => {
    const errors = validatePolicyDocument(doc([{ Effect: 'Maybe', Action: 's3', Resource: 'bucket' }, { ...ok, Principal: '*' }]));
    expect(errors.map((e) => e.path)).toEqual(['Statement[0].Effect', 'Statement[1].Principal', 'Statement[0].Resource', 'Statement[0].Action']);
    expect(errors.map((e) => e.awsMessage)).toEqual([
      'Syntax errors in policy.',
      'Policy document should not specify a principal.',
      'Resource bucket must be in ARN format or "*".',
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ]);
  });

  it('managed policies need Version 2012-10-17; inline ones may omit it or say 2008-10-17', () => {
    for (const text of [JSON.stringify({ Statement: ok }), JSON.stringify({ Version: '2008-10-17', Statement: ok })]) {
      expect(validatePolicyDocument(text)).toEqual([]);
      expect(validatePolicyDocument(text, { kind: 'inline' })).toEqual([]);
      expect(validatePolicyDocument(text, { kind: 'managed' })[0]).toMatchObject({ awsMessage: 'Policy document must be version 2012-10-17 or greater.' });
    }
    expect(validatePolicyDocument(doc(ok), { kind: 'managed' })).toEqual([]);
  });

  it('messages are one line and name no internal types', () => {
    for (const r of rules) {
      for (const c of r.invalid) {
        for (const e of validatePolicyDocument(c.text)) {
          expect(e.message).not.toMatch(/\n|undefined|\[object|JsonValue|TypeError/);
        }
      }
    }
  });
});

describe('where each problem is written', () => {
  const pretty = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:ListUsers",
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3"],
      "Resource": "*",
      "Sid": "x", "Sid": "y"
    }
  ]
}`;

  it('places a problem with an element at its line and column: a member at its key, an array entry at its value', () => {
    const errors = validatePolicyDocument(pretty);
    expect(errors).toContainEqual(expect.objectContaining({ path: 'Statement[1]', message: 'statement is missing Action or NotAction', line: 9, column: 5 }));
    expect(errors).toContainEqual(expect.objectContaining({ path: 'Statement[2].Action[1]', line: 15, column: 34 }));
    // A repeated key is where it is written again: the value IAM would read.
    expect(errors).toContainEqual(expect.objectContaining({ path: 'Statement[2].Sid', line: 17, column: 19 }));
  });

  it('places an element of a statement given as an object, and a top-level member', () => {
    const text = '{\n  "Version": "2012-10-18",\n  "Statement": {\n    "Effect": "Allow",\n    "Action": "s3:GetObject",\n    "Resource": "bucket"\n  }\n}';
    const errors = validatePolicyDocument(text);
    expect(errors).toEqual([
      expect.objectContaining({ path: 'Version', line: 2, column: 3 }),
      expect.objectContaining({ path: 'Statement.Resource', line: 6, column: 5 }),
    ]);
  });

  it('places invalid JSON and a forbidden character where they are', () => {
    expect(validatePolicyDocument('{\n  "Version": "2012-10-17",\n  "Statement": [}')).toEqual([
      expect.objectContaining({ path: '', line: 3, column: 17, message: expect.stringMatching(/at line 3, column 17$/) }),
    ]);
    expect(validatePolicyDocument(`{"Version": "2012-10-17",\n "Statement": {"Effect": "Allow", "Action": "s3:\u0101", "Resource": "*"}}`)).toEqual([
      expect.objectContaining({ path: '', line: 2, column: 49, message: expect.stringMatching(/^character U\+0101 at line 2, column 49/) }),
    ]);
  });

  it('gives no place to a problem with the whole document', () => {
    const [missing] = validatePolicyDocument('{\n  "Version": "2012-10-17"\n}');
    expect(missing).toMatchObject({ path: '', message: 'policy document is missing Statement' });
    expect(missing).not.toHaveProperty('line');
    expect(missing).not.toHaveProperty('column');
  });

  it('counts columns as editors do, in UTF-16 code units after a character outside the BMP', () => {
    // U+1F600 is refused too (two code units); the resource after it is placed counting both.
    const text = '{"Statement": {"Sid": "\u{1F600}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "bucket"}}';
    expect(validatePolicyDocument(text)).toEqual([
      expect.objectContaining({ path: '', line: 1, column: 24 }),
      expect.objectContaining({ path: 'Statement.Resource', line: 1, column: 74 }),
    ]);
  });
});

describe('policy size (IAM User Guide, IAM and AWS STS quotas: "IAM does not count white space")', () => {
  it('exports the AWS quotas', () => {
    expect([MANAGED_POLICY_MAX_SIZE, USER_INLINE_POLICIES_MAX_SIZE, GROUP_INLINE_POLICIES_MAX_SIZE]).toEqual([6144, 2048, 5120]);
  });

  it('does not count white space', () => {
    const compact = doc(ok);
    const pretty = JSON.stringify(JSON.parse(compact), null, 4);
    expect(policyDocumentSize(pretty)).toBe(policyDocumentSize(compact));
    expect(policyDocumentSize(compact)).toBe(compact.length);
    expect(policyDocumentSize('{ "a" :\t"b c" }\r\n')).toBe('{"a":"bc"}'.length);
  });

  it('rejects a document over maxSize with LimitExceeded', () => {
    const big = withStatement({ Action: Array.from({ length: 600 }, (_, i) => `s3:Action${i}`) });
    expect(policyDocumentSize(big)).toBeGreaterThan(MANAGED_POLICY_MAX_SIZE);
    expect(validatePolicyDocument(big)).toEqual([]);
    expect(validatePolicyDocument(big, { maxSize: MANAGED_POLICY_MAX_SIZE })).toEqual([
      expect.objectContaining({ code: 'LimitExceeded', path: '', message: expect.stringMatching(/^policy document has \d+ characters without white space, more than the 6144 allowed$/), awsMessage: 'Cannot exceed quota for PolicySize: 6144' }),
    ]);
  });

  it('accepts a document at exactly maxSize', () => {
    const text = doc(ok);
    expect(validatePolicyDocument(text, { maxSize: policyDocumentSize(text) })).toEqual([]);
  });
});

describe('compilePolicy', () => {
  it('throws PolicyDocumentError with every error', () => {
    let thrown: unknown;
    try {
      compilePolicy(withStatement({ Effect: 'allow', Action: 's3' }), { id: 'p' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PolicyDocumentError);
    expect((thrown as PolicyDocumentError).errors.map((e) => e.path)).toEqual(['Statement[0].Effect', 'Statement[0].Action']);
  });

  it('treats a missing Version as 2008-10-17', () => {
    expect(compilePolicy(JSON.stringify({ Statement: ok }), { id: 'p' }).languageVersion).toBe('2008-10-17');
  });

  it('names statements by source, Sid and index', () => {
    const p = compilePolicy(doc([{ ...ok, Sid: 'A' }, ok]), { id: 'p1', version: 'v2', type: 'managed', name: 'Readers' });
    expect(p.statements).toEqual([
      { policyId: 'p1', policyVersion: 'v2', policyType: 'managed', policyName: 'Readers', sid: 'A', statementIndex: 0, effect: 'Allow' },
      { policyId: 'p1', policyVersion: 'v2', policyType: 'managed', policyName: 'Readers', statementIndex: 1, effect: 'Allow' },
    ]);
    expect(Object.isFrozen(p) && Object.isFrozen(p.statements[0])).toBe(true);
  });

  it('keeps __proto__ as plain data', () => {
    const text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:__proto__":"x"}}}}';
    expect(compilePolicy(text, { id: 'p' }).contextKeys).toEqual(['aws:__proto__']);
  });
});
