import { compareKeys, decodeMarker, encodeMarker, page } from './sql';

describe('pagination helpers', () => {
  const items = ['a', 'b', 'c', 'd', 'e'].map((name, i) => ({ name, i }));
  const key = (item: { name: string }) => [item.name];

  it('pages through every item once, in order', () => {
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const result = page(items, key, { MaxItems: 2, Marker: marker });
      seen.push(...result.items.map((item) => item.name));
      if (!result.IsTruncated) {
        expect(result.Marker).toBeUndefined();
        break;
      }
      marker = result.Marker;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('continues after the last key even when that item is gone', () => {
    const marker = encodeMarker(['b']);
    expect(page(items.filter((item) => item.name !== 'b'), key, { Marker: marker }).items.map((item) => item.name)).toEqual(['c', 'd', 'e']);
  });

  it('refuses a marker it cannot read with InvalidInput', () => {
    expect(() => decodeMarker('%%%')).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
    expect(() => decodeMarker(encodeMarker(['a', 1]), 3)).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
  });

  it('refuses a forged marker whose key no row can have (U+0000, which PostgreSQL text cannot hold) or that is not a finite number', () => {
    expect(() => decodeMarker(encodeMarker(['a\u0000b', 'arn']), 2)).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
    expect(() => decodeMarker(Buffer.from('[1e400]').toString('base64url'), 1)).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
    expect(decodeMarker(encodeMarker(['a b', 2]), 2)).toEqual(['a b', 2]);
  });

  it('orders keys part by part, numbers as numbers', () => {
    expect(compareKeys([1, 'b'], [1, 'a'])).toBeGreaterThan(0);
    expect(compareKeys([2], [10])).toBeLessThan(0);
    expect(compareKeys(['a'], ['a'])).toBe(0);
  });
});
