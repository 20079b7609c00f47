import { IamError, MAX_ERROR_PROBLEMS } from '@iam/contracts';
import { cacheEntries, cacheLookups } from '@iam/platform';
import { CompiledPolicies } from './compiled-policies';
import { compileDocument } from './policy-documents';

const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('CompiledPolicies', () => {
  it('compiles a document once per key', () => {
    const cache = new CompiledPolicies();
    const first = cache.compile('m:ANPA1:v1', doc('s3:GetObject'), { id: 'ANPA1', version: 'v1' });
    const again = cache.compile('m:ANPA1:v1', doc('s3:PutObject'), { id: 'ANPA1', version: 'v1' });
    expect(again).toBe(first);
    expect(cache.size).toBe(1);
  });

  it('counts its hits and misses and reports its size (iam_cache_lookups_total, iam_cache_entries)', async () => {
    const lookups = async (result: string) => (await cacheLookups.get()).values.find((v) => v.labels.cache === 'compiled_policies' && v.labels.result === result)?.value ?? 0;
    const [hits, misses] = [await lookups('hit'), await lookups('miss')];
    const cache = new CompiledPolicies();
    cache.compile('m:ANPA2:v1', doc('s3:GetObject'), { id: 'ANPA2', version: 'v1' });
    cache.compile('m:ANPA2:v1', doc('s3:GetObject'), { id: 'ANPA2', version: 'v1' });
    cache.compile('m:ANPA3:v1', doc('s3:GetObject'), { id: 'ANPA3', version: 'v1' });
    expect([await lookups('hit'), await lookups('miss')]).toEqual([hits + 1, misses + 2]);
    expect((await cacheEntries.get()).values.find((v) => v.labels.cache === 'compiled_policies')?.value).toBe(2);
  });

  it('drops the least recently used entries beyond its capacity', () => {
    const cache = new CompiledPolicies();
    cache.capacity = 2;
    cache.put('a', compileDocument(doc('s3:A'), { id: 'a' }));
    cache.put('b', compileDocument(doc('s3:B'), { id: 'b' }));
    cache.get('a');
    cache.put('c', compileDocument(doc('s3:C'), { id: 'c' }));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('refuses what the engine refuses, as AWS answers it', () => {
    expect(() => compileDocument('{"Statement": []}', { id: 'x' })).toThrow(expect.objectContaining({ code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.' }));
    expect(() => compileDocument(doc('s3:' + 'A'.repeat(7000)), { id: 'x' }, { maxSize: 6144 })).toThrow(
      expect.objectContaining({ code: 'LimitExceeded', message: 'Cannot exceed quota for PolicySize: 6144' }),
    );
  });

  it('a document read back is compiled without the resource and date checks added since it was stored', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::*' } });
    expect(() => compileDocument(text, { id: 'x' }, { kind: 'inline' })).toThrow(expect.objectContaining({ message: 'The policy failed legacy parsing' }));
    expect(compileDocument(text, { id: 'x' }, { stored: true }).policy.statements).toHaveLength(1);
  });

  it('keys content immutably', () => {
    expect(CompiledPolicies.managedKey('ANPA1', 'v2')).not.toBe(CompiledPolicies.managedKey('ANPA1', 'v3'));
    expect(CompiledPolicies.inlineKey('AIDA1', 'P', 'h1')).not.toBe(CompiledPolicies.inlineKey('AIDA1', 'P', 'h2'));
  });
});

describe('compileDocument: what MalformedPolicyDocument carries', () => {
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" },
    {
      "Effect": "Allow",
      "Resource": "*"
    }
  ]
}`;

  function thrown(run: () => unknown): IamError {
    try {
      run();
    } catch (error) {
      return error as IamError;
    }
    throw new Error('expected compileDocument to throw');
  }

  it("answers IAM's one message and details every problem with its path, line and column", () => {
    const error = thrown(() => compileDocument(text, { id: 'x' }, { kind: 'managed' }));
    expect(error).toBeInstanceOf(IamError);
    expect([error.code, error.message]).toEqual(['MalformedPolicyDocument', 'Policy statement must contain actions.']);
    expect(error.details).toEqual({ problems: [{ message: 'statement is missing Action or NotAction', path: 'Statement[1]', line: 5, column: 5 }] });
    expect(error.toWire().details).toEqual(error.details);
  });

  it('details invalid JSON at the character that broke it, and whole-document problems without a place', () => {
    expect(thrown(() => compileDocument('{\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}', { id: 'x' })).details).toEqual({
      problems: [{ message: expect.stringMatching(/^policy document is not valid JSON: .* at line 3, column 24$/), path: '', line: 3, column: 24 }],
    });
    expect(thrown(() => compileDocument('{"Version": "2012-10-17"}', { id: 'x' })).details).toEqual({
      problems: [{ message: 'policy document is missing Statement', path: '' }],
    });
  });

  it('details at most MAX_ERROR_PROBLEMS problems', () => {
    const many = JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 150 }, () => ({ Effect: 'Allow', Resource: '*' })) });
    const error = thrown(() => compileDocument(many, { id: 'x' }));
    expect(error.details?.problems).toHaveLength(MAX_ERROR_PROBLEMS);
    expect(error.details?.problems?.[0]).toMatchObject({ path: 'Statement[0]', line: 1, column: 38 });
  });

  it('gives LimitExceeded no details: the size is its one problem', () => {
    const error = thrown(() => compileDocument(doc('s3:' + 'A'.repeat(7000)), { id: 'x' }, { maxSize: 6144 }));
    expect(error.code).toBe('LimitExceeded');
    expect(error.details).toBeUndefined();
  });
});
