import { IamError } from '@iam/contracts';
import { assertUniqueKeys, mergeTags, removeTags, sortedTags } from './tags';

const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: `${i}` }));

describe('user tags', () => {
  it('replaces a key regardless of case in place, taking the new case, and appends new keys', () => {
    expect(mergeTags([{ Key: 'Dept', Value: 'a' }, { Key: 'x', Value: '1' }], [{ Key: 'DEPT', Value: 'b' }, { Key: 'y', Value: '2' }])).toEqual([
      { Key: 'DEPT', Value: 'b' },
      { Key: 'x', Value: '1' },
      { Key: 'y', Value: '2' },
    ]);
  });

  it('refuses duplicate keys regardless of case with InvalidInput', () => {
    expect(() => assertUniqueKeys([{ Key: 'a', Value: '' }, { Key: 'A', Value: '' }])).toThrow(
      new IamError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'),
    );
  });

  it('allows exactly 50 tags and refuses the 51st with LimitExceeded', () => {
    expect(mergeTags(tags(49), [{ Key: 'last', Value: '' }])).toHaveLength(50);
    expect(() => mergeTags(tags(50), [{ Key: 'extra', Value: '' }])).toThrow('Cannot exceed quota for TagsPerUser: 50');
    expect(mergeTags(tags(50), [{ Key: 'K3', Value: 'replaced' }])).toHaveLength(50);
  });

  it('removes keys regardless of case and ignores absent ones', () => {
    expect(removeTags([{ Key: 'Dept', Value: 'a' }, { Key: 'x', Value: '1' }], ['dept', 'nope'])).toEqual([{ Key: 'x', Value: '1' }]);
  });

  it('sorts by key regardless of case', () => {
    expect(sortedTags([{ Key: 'b', Value: '' }, { Key: 'A', Value: '' }, { Key: 'c', Value: '' }]).map((t) => t.Key)).toEqual(['A', 'b', 'c']);
  });
});
