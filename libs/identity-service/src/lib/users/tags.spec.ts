import { sortedTags } from './tags';

describe("ListUserTags' order", () => {
  it('sorts by key regardless of case, not by length', () => {
    const keys = ['b', 'Team', 'A', 'c', 'Environment', 'abc'];
    expect(sortedTags(keys.map((Key) => ({ Key, Value: '' }))).map((t) => t.Key)).toEqual(['A', 'abc', 'b', 'c', 'Environment', 'Team']);
  });
});
