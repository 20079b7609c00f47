/**
 * The validation corpus (`validation/*.json`): every document is accepted or rejected
 * with IAM's code and message, as its source recorded.
 */
import { compilePolicy, MANAGED_POLICY_MAX_SIZE, validatePolicyDocument } from '../index';
import { loadValidationCorpus } from './validation-corpus';

const corpus = loadValidationCorpus();

describe('validation corpus', () => {
  it('has cases of both kinds, valid and invalid', () => {
    expect(corpus.filter((c) => c.kind === 'managed').length).toBeGreaterThan(100);
    expect(corpus.some((c) => c.kind === 'inline')).toBe(true);
    expect(corpus.some((c) => 'valid' in c.expected)).toBe(true);
  });

  it.each(corpus.map((c) => [`${c.file}: ${c.name}`, c] as const))('%s', (_name, c) => {
    const errors = validatePolicyDocument(c.text, { kind: c.kind, maxSize: c.kind === 'managed' ? MANAGED_POLICY_MAX_SIZE : undefined });
    if ('valid' in c.expected) {
      expect(errors).toEqual([]);
      // What validates also compiles.
      expect(() => compilePolicy(c.text, { id: 'corpus' }, { kind: c.kind })).not.toThrow();
    } else {
      expect(errors.length).toBeGreaterThan(0);
      expect({ code: errors[0].code, message: errors[0].awsMessage }).toEqual(c.expected);
    }
  });
});
