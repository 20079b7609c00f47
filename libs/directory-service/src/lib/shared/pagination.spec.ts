import { IamError } from '@iam/contracts';
import { decodeMarker, encodeMarker, pageQuery, toPage } from './pagination';

describe('pagination markers', () => {
  it('round-trips a key and stays within AWS marker characters and length', () => {
    const key = `${'x'.repeat(120)}+=,.@-_`;
    const marker = encodeMarker('groups', key);
    expect(marker).toMatch(/^[\u0020-\u00FF]{1,320}$/);
    expect(decodeMarker('groups', marker)).toBe(key);
  });

  it.each([
    ['garbage', 'not base64 json'],
    ['another listing', encodeMarker('members', 'AIDA')],
    ['an empty key', encodeMarker('groups', '')],
    ['a non-canonical encoding', `${encodeMarker('groups', 'abc')}==`],
    ['a wrong shape', Buffer.from(JSON.stringify({ k: 'x' })).toString('base64url')],
    ['a key no row can have (U+0000, which PostgreSQL text cannot hold)', encodeMarker('groups', 'a\u0000b')],
  ])('refuses %s with InvalidInput', (_case, marker) => {
    expect(() => decodeMarker('groups', marker)).toThrow(IamError);
    try {
      decodeMarker('groups', marker);
    } catch (error) {
      expect((error as IamError).code).toBe('InvalidInput');
    }
  });

  it('reads one row more than the page, and marks a page truncated only when that row exists', () => {
    const query = pageQuery('groups', { MaxItems: 2 });
    expect(query).toEqual({ after: undefined, limit: 3, maxItems: 2 });
    expect(toPage('groups', ['a', 'b'], query, (row) => row)).toEqual({ items: ['a', 'b'], page: { IsTruncated: false } });
    const cut = toPage('groups', ['a', 'b', 'c'], query, (row) => row);
    expect(cut.items).toEqual(['a', 'b']);
    expect(cut.page.IsTruncated).toBe(true);
    expect(pageQuery('groups', { Marker: cut.page.Marker }).after).toBe('b');
    expect(pageQuery('groups', {}).maxItems).toBe(100);
  });
});
