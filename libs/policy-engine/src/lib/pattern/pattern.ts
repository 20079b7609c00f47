/**
 * Compiled string patterns: the `*` and `?` wildcards of IAM, policy variables
 * (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}`, `${?}`, `${$}`),
 * and the ARN segment rules of the Resource element and of the ARN condition operators.
 *
 * A pattern is compiled once, at policy compile time, into a token list plus a
 * fast-path kind; matching never re-parses the pattern and allocates nothing.
 *
 * ARN rules (IAM User Guide):
 * - Resource element ("Using wildcards in resource ARNs"): wildcards work within the
 *   colon-separated segments; "If the * wildcard is the last character of a resource
 *   ARN segment, it can expand to match beyond the colon boundaries." So in the first
 *   five segments (arn, partition, service, region, account) a `?`, and a `*` that is
 *   not the last character of its segment, never match a colon. The resource segment
 *   (after the fifth colon) may itself contain colons and matches them like any character.
 *   Policy variables are recognised only in the resource segment ("You can use a policy
 *   variable in the Resource element, but only in the resource portion of the ARN").
 * - ArnLike/ArnEquals ("Each of the six colon-delimited components of the ARN is checked
 *   separately"): no wildcard in the first five segments matches a colon.
 */

export const LIT = 0;
export const VAR = 1;
export const STAR = 2;
export const ONE = 3;

export interface Token {
  readonly kind: number;
  /** Literal text (LIT). */
  readonly text: string;
  /** Index into `Pattern.vars` (VAR). */
  readonly varIndex: number;
  /** Whether a STAR/ONE may match a colon. */
  readonly anyChar: boolean;
}

/** A policy variable referenced by a pattern. */
export interface VariableRef {
  /** Context key as written in the policy, e.g. `aws:PrincipalTag/team`. */
  readonly name: string;
  /** Lower-cased key, the lookup key. */
  readonly key: string;
  /** Value used when the key is absent, from `${key, 'default'}`. */
  readonly defaultValue: string | undefined;
}

/** How a pattern is matched, fastest first. */
export const EXACT = 0;
export const MATCH_ALL = 1;
export const PREFIX = 2;
export const SUFFIX = 3;
export const PREFIX_SUFFIX = 4;
export const GREEDY = 5;
export const SEGMENTED = 6;

export interface Pattern {
  /** The pattern as written. */
  readonly source: string;
  readonly mode: number;
  /** EXACT: whole text; PREFIX/PREFIX_SUFFIX: prefix; SUFFIX: suffix. */
  readonly head: string;
  /** PREFIX_SUFFIX: suffix. */
  readonly tail: string;
  readonly tokens: readonly Token[];
  readonly vars: readonly VariableRef[];
}

export type ArnRule = 'none' | 'resource' | 'arnLike';

export interface PatternOptions {
  /** `*` and `?` are wildcards (else literal characters). */
  readonly wildcards: boolean;
  /** `${...}` is a policy variable (policy language 2012-10-17). */
  readonly variables: boolean;
  /** ARN segment rule for wildcards. */
  readonly arn: ArnRule;
  /** Lower-case the literal text (for case-insensitive matching of lower-cased input). */
  readonly ignoreCase: boolean;
}

const SPECIAL: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/** Parses the inside of `${...}`: a key, optionally `, 'default'`. */
export function parseVariable(inner: string): { name: string; defaultValue: string | undefined } {
  const sep = inner.indexOf(", '");
  if (sep >= 0 && inner.endsWith("'") && inner.length >= sep + 4) {
    return { name: inner.slice(0, sep).trim(), defaultValue: inner.slice(sep + 3, -1) };
  }
  return { name: inner.trim(), defaultValue: undefined };
}

/** Compiles a pattern. Never fails: text that is not a wildcard or variable is literal. */
export function compilePattern(source: string, opts: PatternOptions): Pattern {
  const tokens: Token[] = [];
  const vars: VariableRef[] = [];
  let lit = '';
  let colons = 0;
  const flushLit = (): void => {
    if (lit !== '') {
      tokens.push({ kind: LIT, text: opts.ignoreCase ? lit.toLowerCase() : lit, varIndex: -1, anyChar: true });
      lit = '';
    }
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const inArnHead = opts.arn !== 'none' && colons < 5;
    if (c === '$' && source[i + 1] === '{' && opts.variables && !(opts.arn === 'resource' && inArnHead)) {
      const end = source.indexOf('}', i + 2);
      if (end >= 0) {
        const inner = source.slice(i + 2, end);
        const special = SPECIAL[inner];
        if (special !== undefined) {
          lit += special;
        } else {
          flushLit();
          const { name, defaultValue } = parseVariable(inner);
          tokens.push({ kind: VAR, text: '', varIndex: vars.length, anyChar: true });
          vars.push({ name, key: name.toLowerCase(), defaultValue });
        }
        i = end;
        continue;
      }
    }
    if (opts.wildcards && (c === '*' || c === '?')) {
      flushLit();
      let anyChar = true;
      if (inArnHead) {
        // In the first five ARN segments a wildcard stays inside its segment, except a `*`
        // that ends its segment in the Resource element.
        anyChar = opts.arn === 'resource' && c === '*' && (i + 1 === source.length || source[i + 1] === ':');
      }
      tokens.push({ kind: c === '*' ? STAR : ONE, text: '', varIndex: -1, anyChar });
      continue;
    }
    if (c === ':') colons++;
    lit += c;
  }
  flushLit();
  return finish(source, tokens, vars);
}

function finish(source: string, tokens: Token[], vars: VariableRef[]): Pattern {
  let mode = GREEDY;
  let head = '';
  let tail = '';
  const simple = vars.length === 0 && tokens.every((t) => t.kind === LIT || (t.kind === STAR && t.anyChar));
  const restricted = tokens.some((t) => (t.kind === STAR || t.kind === ONE) && !t.anyChar);
  const k = tokens.map((t) => t.kind);
  if (restricted) mode = SEGMENTED;
  else if (simple) {
    if (k.length === 0) mode = EXACT;
    else if (k.length === 1 && k[0] === LIT) {
      mode = EXACT;
      head = tokens[0].text;
    } else if (k.length === 1 && k[0] === STAR) mode = MATCH_ALL;
    else if (k.length === 2 && k[0] === LIT && k[1] === STAR) {
      mode = PREFIX;
      head = tokens[0].text;
    } else if (k.length === 2 && k[0] === STAR && k[1] === LIT) {
      mode = SUFFIX;
      head = tokens[1].text;
    } else if (k.length === 3 && k[0] === LIT && k[1] === STAR && k[2] === LIT) {
      mode = PREFIX_SUFFIX;
      head = tokens[0].text;
      tail = tokens[2].text;
    }
  }
  return Object.freeze({ source, mode, head, tail, tokens: Object.freeze(tokens), vars: Object.freeze(vars) });
}

const NO_VARS: readonly string[] = [];

/**
 * Matches `input` against a compiled pattern. `values` holds the resolved value of
 * each variable (`pattern.vars[i]`), already lower-cased for case-insensitive patterns;
 * resolved values are literal text, never wildcards.
 */
export function matchPattern(p: Pattern, input: string, values: readonly string[] = NO_VARS): boolean {
  switch (p.mode) {
    case EXACT:
      return input === p.head;
    case MATCH_ALL:
      return true;
    case PREFIX:
      return input.startsWith(p.head);
    case SUFFIX:
      return input.endsWith(p.head);
    case PREFIX_SUFFIX:
      return input.length >= p.head.length + p.tail.length && input.startsWith(p.head) && input.endsWith(p.tail);
    case GREEDY:
      return matchGreedy(p.tokens, input, values);
    default:
      return matchSegmented(p.tokens, input, values);
  }
}

/** Classic wildcard matching with star backtracking; valid when every wildcard matches any character. */
function matchGreedy(tokens: readonly Token[], input: string, values: readonly string[]): boolean {
  const n = input.length;
  const count = tokens.length;
  let t = 0;
  let s = 0;
  let starT = -1;
  let starS = 0;
  for (;;) {
    if (t < count) {
      const tok = tokens[t];
      if (tok.kind === STAR) {
        starT = t;
        starS = s;
        t++;
        continue;
      }
      if (tok.kind === ONE) {
        if (s < n) {
          s++;
          t++;
          continue;
        }
      } else {
        const text = tok.kind === LIT ? tok.text : values[tok.varIndex];
        if (input.startsWith(text, s)) {
          s += text.length;
          t++;
          continue;
        }
      }
    } else if (s === n) {
      return true;
    }
    if (starT < 0 || starS >= n) return false;
    starS++;
    s = starS;
    t = starT + 1;
  }
}

// Reused reachability buffers for matchSegmented (single-threaded, never re-entered).
let reachA = new Uint8Array(128);
let reachB = new Uint8Array(128);

/** Position-set simulation, for patterns where some wildcards may not match a colon. O(tokens × length). */
function matchSegmented(tokens: readonly Token[], input: string, values: readonly string[]): boolean {
  const n = input.length;
  if (reachA.length < n + 1) {
    reachA = new Uint8Array(2 * (n + 1));
    reachB = new Uint8Array(2 * (n + 1));
  }
  let cur = reachA;
  let next = reachB;
  cur.fill(0, 0, n + 1);
  cur[0] = 1;
  for (const tok of tokens) {
    next.fill(0, 0, n + 1);
    let alive = false;
    if (tok.kind === STAR) {
      for (let p = 0; p <= n; p++) {
        if (cur[p] === 1 || (p > 0 && next[p - 1] === 1 && (tok.anyChar || input.charCodeAt(p - 1) !== 58))) {
          next[p] = 1;
          alive = true;
        }
      }
    } else if (tok.kind === ONE) {
      for (let p = 0; p < n; p++) {
        if (cur[p] === 1 && (tok.anyChar || input.charCodeAt(p) !== 58)) {
          next[p + 1] = 1;
          alive = true;
        }
      }
    } else {
      const text = tok.kind === LIT ? tok.text : values[tok.varIndex];
      const len = text.length;
      for (let p = 0; p + len <= n; p++) {
        if (cur[p] === 1 && input.startsWith(text, p)) {
          next[p + len] = 1;
          alive = true;
        }
      }
    }
    if (!alive) return false;
    const swap = cur;
    cur = next;
    next = swap;
  }
  return cur[n] === 1;
}
