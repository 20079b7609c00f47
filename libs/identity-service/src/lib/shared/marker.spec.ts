import { decodeMarker, encodeMarker, pageOf } from './marker';

describe('pagination markers', () => {
  it('round-trips a position and stays within AWS marker characters', () => {
    const marker = encodeMarker({ n: 'alice+bob@example.com' });
    expect(marker).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeMarker(marker, ['n'])).toEqual({ n: 'alice+bob@example.com' });
  });

  it.each(['%%%', Buffer.from('[1]').toString('base64url'), encodeMarker({ other: 'x' }), encodeMarker({ n: 'a\u0000b' })])('refuses %s with InvalidInput', (marker) => {
    expect(() => decodeMarker(marker, ['n'])).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
  });

  it('splits one extra row into a truncated page', () => {
    expect(pageOf([1, 2, 3], 2)).toEqual({ items: [1, 2], truncated: true });
    expect(pageOf([1, 2], 2)).toEqual({ items: [1, 2], truncated: false });
  });
});
