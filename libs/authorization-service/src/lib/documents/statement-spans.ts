/**
 * Where each statement of a policy document is in its text, for the
 * simulation's `StartPosition`/`EndPosition` and for showing a statement as
 * written. Computed once per document (when it is compiled), from text the
 * policy engine has already validated.
 */
export interface TextPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export interface StatementSpan {
  /** The statement's `{`. */
  readonly start: TextPosition;
  /** Just after the statement's `}`. */
  readonly end: TextPosition;
  /** Offsets into the text: `text.slice(startOffset, endOffset)` is the statement as written. */
  readonly startOffset: number;
  readonly endOffset: number;
}

const WHITE = new Set([' ', '\t', '\n', '\r']);

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  skipWhite(): void {
    while (this.pos < this.text.length && WHITE.has(this.text[this.pos])) this.pos++;
  }

  /** Reads a string at `pos` (on its opening quote) and returns its value. */
  string(): string {
    let out = '';
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const e = this.text[this.pos + 1];
        if (e === 'u') {
          out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
          this.pos += 2;
        }
        continue;
      }
      out += c;
      this.pos++;
    }
    throw new Error('unterminated string');
  }

  /** Skips any value at `pos`. */
  value(): void {
    this.skipWhite();
    const c = this.text[this.pos];
    if (c === '"') {
      this.string();
      return;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.pos++;
      for (;;) {
        this.skipWhite();
        if (this.text[this.pos] === close) {
          this.pos++;
          return;
        }
        if (c === '{') {
          this.string();
          this.skipWhite();
          this.pos++; // ':'
        }
        this.value();
        this.skipWhite();
        if (this.text[this.pos] === ',') this.pos++;
      }
    }
    while (this.pos < this.text.length && !WHITE.has(this.text[this.pos]) && !',]}'.includes(this.text[this.pos])) this.pos++;
  }
}

function positionAt(lineStarts: readonly number[], offset: number): TextPosition {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
}

/** The span of each statement, in document order; `[]` for text that is not a policy object. */
export function statementSpans(text: string): StatementSpan[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const spans: StatementSpan[] = [];
  const s = new Scanner(text);
  const span = () => {
    s.skipWhite();
    const startOffset = s.pos;
    s.value();
    const endOffset = s.pos;
    spans.push({ start: positionAt(lineStarts, startOffset), end: positionAt(lineStarts, endOffset), startOffset, endOffset });
  };
  try {
    s.skipWhite();
    if (text[s.pos] !== '{') return [];
    s.pos++;
    for (;;) {
      s.skipWhite();
      if (text[s.pos] === '}' || s.pos >= text.length) return spans;
      const key = s.string();
      s.skipWhite();
      s.pos++; // ':'
      s.skipWhite();
      if (key !== 'Statement') {
        s.value();
      } else if (text[s.pos] === '[') {
        s.pos++;
        for (;;) {
          s.skipWhite();
          if (text[s.pos] === ']') {
            s.pos++;
            break;
          }
          span();
          s.skipWhite();
          if (text[s.pos] === ',') s.pos++;
        }
      } else {
        span();
      }
      s.skipWhite();
      if (text[s.pos] === ',') s.pos++;
    }
  } catch {
    return spans;
  }
}
