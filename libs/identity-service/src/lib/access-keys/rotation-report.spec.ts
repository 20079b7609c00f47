import { rotationReport } from './rotate-master-key';

describe('rotationReport', () => {
  const result = { fromKeyId: 'aaaaaaaaaaaaaaaa', toKeyId: 'bbbbbbbbbbbbbbbb', reencrypted: 3, unreadable: {} };

  it('prints the summary, with where the new key is when given, and no problem when every secret is readable', () => {
    expect(rotationReport('iam rotate-master-key', result, '; the new key is in /data/master.key')).toEqual({
      summary: 'iam rotate-master-key: re-encrypted 3 access key secret(s) from master key aaaaaaaaaaaaaaaa to bbbbbbbbbbbbbbbb; the new key is in /data/master.key.',
    });
  });

  it('names each key that still seals secrets', () => {
    const report = rotationReport('identity rotate-master-key', { ...result, unreadable: { cccccccccccccccc: 2, dddddddddddddddd: 1 } });
    expect(report.summary).toBe('identity rotate-master-key: re-encrypted 3 access key secret(s) from master key aaaaaaaaaaaaaaaa to bbbbbbbbbbbbbbbb.');
    expect(report.problem).toBe('identity rotate-master-key: secrets under neither key remain (2 under cccccccccccccccc, 1 under dddddddddddddddd).');
  });
});
