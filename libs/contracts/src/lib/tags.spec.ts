import { IamError } from './errors';
import { assertUniqueTagKeys, mergeTags, removeTags } from './tags';

const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: `${i}` }));
const keys = (list: { Key: string }[]) => list.map((tag) => tag.Key);
/** What `call` throws, as code and message (an `IamError`'s both, not only its message). */
function thrown(call: () => unknown): { code: string; message: string } {
  try {
    call();
  } catch (error) {
    if (error instanceof IamError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('nothing thrown');
}

describe('tags, keys regardless of case (users)', () => {
  it('replaces a key in its place, taking the new case and value, and appends new keys in the request order', () => {
    const existing = [
      { Key: 'Dept', Value: 'a' },
      { Key: 'x', Value: '1' },
    ];
    expect(mergeTags(existing, [{ Key: 'z', Value: '3' }, { Key: 'DEPT', Value: 'b' }, { Key: 'y', Value: '2' }], 'insensitive')).toEqual([
      { Key: 'DEPT', Value: 'b' },
      { Key: 'x', Value: '1' },
      { Key: 'z', Value: '3' },
      { Key: 'y', Value: '2' },
    ]);
    expect(existing).toEqual([
      { Key: 'Dept', Value: 'a' },
      { Key: 'x', Value: '1' },
    ]);
  });

  it("refuses one key twice regardless of case with AWS's InvalidInput and its note on case", () => {
    const refused = { code: 'InvalidInput', message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' };
    expect(thrown(() => assertUniqueTagKeys([{ Key: 'a', Value: '' }, { Key: 'A', Value: '' }], 'insensitive'))).toEqual(refused);
    expect(thrown(() => mergeTags([], [{ Key: 'mykey', Value: '1' }, { Key: 'MyKey', Value: '2' }], 'insensitive'))).toEqual(refused);
    expect(() => assertUniqueTagKeys([{ Key: 'a', Value: '' }, { Key: 'b', Value: '' }], 'insensitive')).not.toThrow();
  });

  it('removes keys regardless of case and ignores absent ones', () => {
    expect(removeTags([{ Key: 'Dept', Value: 'a' }, { Key: 'x', Value: '1' }], ['dept', 'nope'], 'insensitive')).toEqual([{ Key: 'x', Value: '1' }]);
  });
});

describe('tags, keys as written (customer managed policies)', () => {
  it('keeps a and A as two tags, and replaces only the very key in its place', () => {
    const both = mergeTags([], [{ Key: 'a', Value: 'lowercase' }, { Key: 'A', Value: 'uppercase' }], 'sensitive');
    expect(both).toEqual([
      { Key: 'a', Value: 'lowercase' },
      { Key: 'A', Value: 'uppercase' },
    ]);
    expect(mergeTags(both, [{ Key: 'a', Value: 'new' }], 'sensitive')).toEqual([
      { Key: 'a', Value: 'new' },
      { Key: 'A', Value: 'uppercase' },
    ]);
  });

  it("refuses one key twice with AWS's InvalidInput, without the note on case", () => {
    expect(thrown(() => mergeTags([], [{ Key: '0', Value: '' }, { Key: '0', Value: '' }], 'sensitive'))).toEqual({
      code: 'InvalidInput',
      message: 'Duplicate tag keys found.',
    });
  });

  it('removes only the key as written', () => {
    expect(removeTags([{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }], ['a'], 'sensitive')).toEqual([{ Key: 'A', Value: '2' }]);
  });
});

describe('at most 50 tags', () => {
  it.each(['insensitive', 'sensitive'] as const)('allows 50 and refuses the 51st with LimitExceeded (keys %s)', (keyCase) => {
    expect(mergeTags(tags(49), [{ Key: 'last', Value: '' }], keyCase)).toHaveLength(50);
    const limit = { code: 'LimitExceeded', message: 'The number of tags has reached the maximum limit.' };
    expect(thrown(() => mergeTags(tags(50), [{ Key: 'extra', Value: '' }], keyCase))).toEqual(limit);
    expect(thrown(() => mergeTags([], tags(51), keyCase))).toEqual(limit);
    expect(keys(mergeTags(tags(50), [{ Key: 'k3', Value: 'replaced' }], keyCase))).toEqual(keys(tags(50)));
  });

  it('counts a key that differs only in case as a new tag only where keys keep their case', () => {
    expect(mergeTags(tags(50), [{ Key: 'K3', Value: 'replaced' }], 'insensitive')).toHaveLength(50);
    expect(thrown(() => mergeTags(tags(50), [{ Key: 'K3', Value: 'new' }], 'sensitive')).code).toBe('LimitExceeded');
  });
});
