import { analyzeAccess, combineAccess, compilePolicy, createRequestContext, explainAccess, referencedContextKeys } from '../../index';

const policy = (id: string, statement: unknown, version = '2012-10-17') =>
  compilePolicy(JSON.stringify({ Version: version, Statement: statement }), { id });

describe('referencedContextKeys (GetContextKeysForPrincipalPolicy / GetContextKeysForCustomPolicy)', () => {
  const a = policy('a', [
    { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${aws:username}/${*}', Condition: { StringEquals: { 'aws:PrincipalTag/Team': '${aws:PrincipalTag/Dept}' }, Bool: { 'aws:SecureTransport': 'true' } } },
  ]);
  const b = policy('b', [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { IpAddress: { 'AWS:SOURCEIP': '10.0.0.0/8' }, 'ForAnyValue:StringLike': { 'aws:TagKeys': 'x*' } } }]);

  it('returns keys as written, de-duplicated without regard to case, in order of first appearance', () => {
    expect(referencedContextKeys([a, b, a])).toEqual(['aws:username', 'aws:PrincipalTag/Team', 'aws:PrincipalTag/Dept', 'aws:SecureTransport', 'AWS:SOURCEIP', 'aws:TagKeys']);
    expect(referencedContextKeys([b, a])[0]).toBe('AWS:SOURCEIP');
  });

  it('ignores ${...} text in 2008-10-17 policies', () => {
    expect(referencedContextKeys([policy('old', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${aws:username}' }, '2008-10-17')])).toEqual([]);
  });

  it('returns [] for no policies', () => {
    expect(referencedContextKeys([])).toEqual([]);
  });
});

describe('who can do X on Y (analyzeAccess / combineAccess)', () => {
  const readAll = policy('read', [{ Sid: 'Read', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::data/*' }]);
  const own = policy('own', [{ Sid: 'Own', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' }]);
  const tls = policy('tls', [{ Sid: 'Tls', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]);
  const noSecret = policy('nosecret', [{ Sid: 'NoSecret', Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/secret/*' }]);

  it('an Allow that matches outright is unconditional', () => {
    const r = analyzeAccess(readAll, { action: 's3:GetObject', resource: 'arn:aws:s3:::data/x' });
    expect(r.allows).toEqual([{ statement: readAll.statements[0], conditional: false }]);
    expect(combineAccess([r]).verdict).toBe('allowed');
  });

  it('conditions without a context make the statement conditional', () => {
    const s = explainAccess([readAll, tls], { action: 's3:GetObject', resource: 'arn:aws:s3:::data/x' });
    expect(s.verdict).toBe('conditional');
    expect(s.denies).toEqual([{ statement: tls.statements[0], conditional: true }]);
  });

  it('with a context, conditions are evaluated', () => {
    const context = createRequestContext({ 'aws:SecureTransport': 'true' });
    expect(explainAccess([readAll, tls], { action: 's3:GetObject', resource: 'arn:aws:s3:::data/x', context }).verdict).toBe('allowed');
    const insecure = createRequestContext({ 'aws:SecureTransport': 'false' });
    expect(explainAccess([readAll, tls], { action: 's3:GetObject', resource: 'arn:aws:s3:::data/x', context: insecure }).verdict).toBe('denied');
  });

  it('policy variables without a context are conditional; with one they resolve', () => {
    expect(explainAccess([own], { action: 's3:PutObject', resource: 'arn:aws:s3:::home/alice/notes' }).verdict).toBe('conditional');
    const alice = createRequestContext({ 'aws:username': 'alice' });
    expect(explainAccess([own], { action: 's3:PutObject', resource: 'arn:aws:s3:::home/alice/notes', context: alice }).verdict).toBe('allowed');
    expect(explainAccess([own], { action: 's3:PutObject', resource: 'arn:aws:s3:::home/bob/notes', context: alice }).verdict).toBe('notAllowed');
  });

  it('a resource pattern: an Allow covering it is unconditional, one overlapping it conditional', () => {
    expect(explainAccess([readAll], { action: 's3:GetObject', resource: 'arn:aws:s3:::data/reports/*' }).verdict).toBe('allowed');
    const partial = explainAccess([readAll], { action: 's3:GetObject', resource: 'arn:aws:s3:::*' });
    expect(partial.verdict).toBe('conditional');
    expect(partial.allows[0].conditional).toBe(true);
    expect(explainAccess([readAll], { action: 's3:GetObject', resource: 'arn:aws:s3:::logs/*' }).verdict).toBe('notAllowed');
  });

  it('a Deny covering part of a resource pattern is conditional, one covering all of it denies', () => {
    expect(explainAccess([readAll, noSecret], { action: 's3:GetObject', resource: 'arn:aws:s3:::data/*' }).verdict).toBe('conditional');
    expect(explainAccess([readAll, noSecret], { action: 's3:GetObject', resource: 'arn:aws:s3:::data/secret/a/*' }).verdict).toBe('denied');
  });

  it('NotResource against a pattern', () => {
    const p = policy('p', { Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::private/*' });
    expect(explainAccess([p], { action: 's3:GetObject', resource: 'arn:aws:s3:::public/*' }).verdict).toBe('allowed');
    expect(explainAccess([p], { action: 's3:GetObject', resource: 'arn:aws:s3:::private/x/*' }).verdict).toBe('notAllowed');
    expect(explainAccess([p], { action: 's3:GetObject', resource: 'arn:aws:s3:::*' }).verdict).toBe('conditional');
  });

  it('many principals: analyse each policy once, combine per principal', () => {
    const policies = [readAll, own, tls, noSecret];
    const query = { action: 's3:GetObject', resource: 'arn:aws:s3:::data/secret/x', context: createRequestContext({ 'aws:SecureTransport': 'true' }) };
    const perPolicy = new Map(policies.map((p) => [p.source.id, analyzeAccess(p, query)]));
    const principals = Array.from({ length: 5000 }, (_, i) => (i % 2 === 0 ? ['read', 'tls'] : ['read', 'tls', 'nosecret']));
    const verdicts = principals.map((ids) => combineAccess(ids.map((id) => perPolicy.get(id) ?? { allows: [], denies: [] })).verdict);
    expect(verdicts.filter((v) => v === 'allowed')).toHaveLength(2500);
    expect(verdicts.filter((v) => v === 'denied')).toHaveLength(2500);
  });

  it('the action must match', () => {
    expect(explainAccess([readAll], { action: 's3:PutObject', resource: 'arn:aws:s3:::data/x' })).toEqual({ verdict: 'notAllowed', allows: [], denies: [] });
  });
});
