import { createRequestContext, createRequestContextFromEntries, RequestContextError } from '../../index';

describe('createRequestContext', () => {
  it('looks keys up without regard to case and keeps values as given', () => {
    const c = createRequestContext({ 'aws:SourceIp': '10.0.0.1', 'aws:TagKeys': ['a', 'b'] });
    expect(c.has('AWS:sourceip')).toBe(true);
    expect(c.get('aws:sourceIP')).toBe('10.0.0.1');
    expect(c.get('aws:tagkeys')).toEqual(['a', 'b']);
    expect(c.get('aws:username')).toBeUndefined();
    expect(c.keys).toEqual(['aws:SourceIp', 'aws:TagKeys']);
  });

  it('treats an empty list and undefined as no value', () => {
    expect(createRequestContext({ 'aws:TagKeys': [] }).has('aws:TagKeys')).toBe(false);
    expect(createRequestContext({ 'aws:TokenIssueTime': undefined as unknown as string }).keys).toEqual([]);
  });

  it('refuses a key given twice in different case', () => {
    expect(() => createRequestContext({ 'aws:username': 'a', 'AWS:UserName': 'b' })).toThrow(RequestContextError);
  });

  it('refuses values that are not strings', () => {
    expect(() => createRequestContext({ 'test:n': 5 as unknown as string })).toThrow(/string or an array of strings/);
    expect(() => createRequestContext({ 'test:n': ['a', 5 as unknown as string] })).toThrow(RequestContextError);
  });
});

describe('createRequestContextFromEntries (AWS ContextEntry with ContextKeyType)', () => {
  it('maps list types to multivalued keys and scalar types to single values', () => {
    const c = createRequestContextFromEntries([
      { key: 'aws:SourceIp', type: 'ip', values: ['10.0.0.1'] },
      { key: 'aws:TagKeys', type: 'stringList', values: ['a'] },
      { key: 'aws:CurrentTime', type: 'date', values: ['2020-01-01T00:00:00Z'] },
      { key: 'aws:MultiFactorAuthAge', type: 'numeric', values: ['30'] },
      { key: 'aws:SecureTransport', type: 'boolean', values: ['true'] },
      { key: 'test:blob', type: 'binary', values: ['QQ=='] },
      { key: 'test:ips', type: 'ipList', values: ['10.0.0.1', '2001:db8::1'] },
    ]);
    expect(c.get('aws:SourceIp')).toBe('10.0.0.1');
    expect(c.get('aws:TagKeys')).toEqual(['a']);
    expect(c.get('test:ips')).toEqual(['10.0.0.1', '2001:db8::1']);
  });

  it.each([
    [{ key: 'aws:SourceIp', type: 'ip' as const, values: ['10.0.0.1', '10.0.0.2'] }, /needs exactly one value, found 2/],
    [{ key: 'aws:SourceIp', type: 'ip' as const, values: ['ten'] }, /has type ip but value "ten" is not of that type/],
    [{ key: 'n', type: 'numericList' as const, values: ['1', 'x'] }, /value "x"/],
    [{ key: 'd', type: 'date' as const, values: ['soon'] }, /value "soon"/],
    [{ key: 'b', type: 'boolean' as const, values: ['yes'] }, /value "yes"/],
    [{ key: 'x', type: 'blob' as unknown as 'binary', values: ['QQ=='] }, /unknown type "blob"/],
  ])('refuses %o', (entry, message) => {
    expect(() => createRequestContextFromEntries([entry])).toThrow(message);
  });
});
