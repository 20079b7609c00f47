/**
 * The validation corpus: policy documents with what IAM answers for them, each file
 * naming the source of its expectations (`validation/README.md`). Replayed by the
 * engine's specs and, through the AWS Query API, by the gateway's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the corpus files are. */
export const VALIDATION_CORPUS_DIR = resolve(__dirname, '../../validation');

export type ValidationExpectation = { readonly valid: true } | { readonly code: 'MalformedPolicyDocument' | 'LimitExceeded'; readonly message: string };

export interface ValidationCase {
  readonly file: string;
  readonly source: string;
  readonly name: string;
  /** `managed` (CreatePolicy, CreatePolicyVersion) or `inline` (PutUserPolicy, PutGroupPolicy). */
  readonly kind: 'managed' | 'inline';
  /** The document as sent: a string is sent as is, anything else as its JSON text. */
  readonly text: string;
  readonly expected: ValidationExpectation;
}

interface CorpusFile {
  source: string;
  cases: { name: string; kind: 'managed' | 'inline'; document: unknown; source?: string; expected: ValidationExpectation }[];
}

/** Every case of every corpus file, in file order. */
export function loadValidationCorpus(dir = VALIDATION_CORPUS_DIR): ValidationCase[] {
  const out: ValidationCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CorpusFile;
    if (typeof parsed.source !== 'string' || !Array.isArray(parsed.cases)) throw new Error(`${file}: needs "source" and "cases"`);
    for (const c of parsed.cases) {
      if (c.kind !== 'managed' && c.kind !== 'inline') throw new Error(`${file}: case "${c.name}" needs kind managed or inline`);
      const e = c.expected as Record<string, unknown>;
      if (!(e && (e['valid'] === true || (typeof e['code'] === 'string' && typeof e['message'] === 'string')))) {
        throw new Error(`${file}: case "${c.name}" needs expected {valid: true} or {code, message}`);
      }
      out.push({
        file,
        source: c.source ?? parsed.source,
        name: c.name,
        kind: c.kind,
        text: typeof c.document === 'string' ? c.document : JSON.stringify(c.document),
        expected: c.expected,
      });
    }
  }
  return out;
}
