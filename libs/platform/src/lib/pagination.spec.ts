import { IamError } from '@iam/contracts';
import { compareKeys, Listing } from './pagination';

const GROUPS = new Listing<[string]>('groups', 1);
const MEMBERS = new Listing<[string]>('members', 1);
const KEYS = new Listing<[string, number]>('keys', 2);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof IamError ? `${error.code}: ${error.message}` : 'not an IamError';
  }
  return undefined;
}

describe('Listing', () => {
  it('round-trips a key and stays within AWS marker characters and length', () => {
    const key = `${'x'.repeat(120)}+=,.@-_`;
    const marker = GROUPS.encode([key]);
    expect(marker).toMatch(/^[\u0020-\u00FF]{1,320}$/);
    expect(GROUPS.decode(marker)).toEqual([key]);
    expect(KEYS.decode(KEYS.encode(['a', 7]))).toEqual(['a', 7]);
  });

  it.each<[string, { decode(marker: string): unknown }, string]>([
    ['garbage', GROUPS, 'not base64 json'],
    ['a marker of another listing', GROUPS, MEMBERS.encode(['AIDA'])],
    ['an empty key', GROUPS, GROUPS.encode([''])],
    ['a key of the wrong arity', KEYS, Buffer.from(JSON.stringify(['keys', 'a'])).toString('base64url')],
    ['a non-canonical encoding', GROUPS, `${GROUPS.encode(['abc'])}==`],
    ['a wrong shape', GROUPS, Buffer.from(JSON.stringify({ k: 'x' })).toString('base64url')],
    ['a key no row can have (U+0000, which PostgreSQL text cannot hold)', GROUPS, GROUPS.encode(['a\u0000b'])],
    ['a number that is not finite', KEYS, Buffer.from(JSON.stringify(['keys', 'a', null])).toString('base64url')],
  ])('refuses %s with InvalidInput', (_case, listing, marker) => {
    expect(codeOf(() => listing.decode(marker))).toBe('InvalidInput: Invalid Marker.');
  });

  it('reads one row more than the page, and marks a page truncated only when that row exists', () => {
    const query = GROUPS.query({ MaxItems: 2 });
    expect(query).toEqual({ limit: 3, maxItems: 2 });
    expect(GROUPS.page(['a', 'b'], query, (row) => [row])).toEqual({ items: ['a', 'b'], page: { IsTruncated: false } });
    const cut = GROUPS.page(['a', 'b', 'c'], query, (row) => [row]);
    expect(cut.items).toEqual(['a', 'b']);
    expect(cut.page.IsTruncated).toBe(true);
    expect(GROUPS.query({ Marker: cut.page.Marker }).after).toEqual(['b']);
    expect(GROUPS.query({}).maxItems).toBe(100);
  });

  it('pages a sorted list held in memory without skipping or repeating an item', () => {
    const items = Array.from({ length: 23 }, (_, i) => ({ name: `n${String(i).padStart(2, '0')}`, n: i }));
    const seen: string[] = [];
    let marker: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const { items: shown, page } = KEYS.slice(items, { MaxItems: 5, ...(marker ? { Marker: marker } : {}) }, (item) => [item.name, item.n]);
      seen.push(...shown.map((item) => item.name));
      if (!page.IsTruncated) break;
      marker = page.Marker;
    }
    expect(seen).toEqual(items.map((item) => item.name));
  });

  it('continues after the last key even when that item is gone', () => {
    const marker = GROUPS.encode(['b']);
    expect(GROUPS.slice(['a', 'c', 'd'], { Marker: marker }, (item) => [item]).items).toEqual(['c', 'd']);
  });

  it('orders numbers numerically, strings by code unit, and a shorter key first', () => {
    expect(compareKeys([2], [10])).toBeLessThan(0);
    expect(compareKeys(['B'], ['a'])).toBeLessThan(0);
    expect(compareKeys(['a'], ['a', 1])).toBeLessThan(0);
    expect(compareKeys(['a', 1], ['a', 1])).toBe(0);
  });
});
