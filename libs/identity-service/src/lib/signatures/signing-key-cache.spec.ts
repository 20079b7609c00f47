import { SigningKeyCache } from './signing-key-cache';

const scope = (date: string) => ({ date, region: 'us-east-1', service: 'iam' });

describe('signing key cache', () => {
  it('keeps a derived key per access key and scope', () => {
    const cache = new SigningKeyCache();
    cache.set('AKIA1', scope('20261128'), Buffer.from('a'));
    expect(cache.get('AKIA1', scope('20261128'))?.toString()).toBe('a');
    expect(cache.get('AKIA1', scope('20261129'))).toBeUndefined();
    expect(cache.get('AKIA1', { ...scope('20261128'), region: 'eu-west-1' })).toBeUndefined();
    expect(cache.get('AKIA2', scope('20261128'))).toBeUndefined();
  });

  it('forgets every scope of one key, and only that key', () => {
    const cache = new SigningKeyCache();
    cache.set('AKIA1', scope('20261128'), Buffer.from('a'));
    cache.set('AKIA1', scope('20261129'), Buffer.from('b'));
    cache.set('AKIA10', scope('20261128'), Buffer.from('c'));
    cache.invalidate('AKIA1');
    expect(cache.get('AKIA1', scope('20261128'))).toBeUndefined();
    expect(cache.get('AKIA1', scope('20261129'))).toBeUndefined();
    expect(cache.get('AKIA10', scope('20261128'))?.toString()).toBe('c');
  });

  it('drops the oldest entry when full', () => {
    const cache = new SigningKeyCache(2);
    cache.set('A', scope('1'), Buffer.from('1'));
    cache.set('B', scope('1'), Buffer.from('2'));
    cache.set('C', scope('1'), Buffer.from('3'));
    expect(cache.size).toBe(2);
    expect(cache.get('A', scope('1'))).toBeUndefined();
    expect(cache.get('C', scope('1'))).toBeDefined();
  });
});
