/**
 * A strict JSON (RFC 8259) reader for policy documents.
 *
 * `JSON.parse` silently keeps the last of two equal keys; IAM forbids repeated
 * elements ("Individual elements must not contain multiple instances of the same
 * key"), and a repeated `Condition` operator that silently drops a block is a
 * security hazard. This reader reports every repeated key with its path and
 * builds prototype-free objects, so a key such as `__proto__` is plain data.
 */

/** A JSON value as read from a policy document. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object without a prototype. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A path into a document: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

export interface JsonSyntaxError {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export interface JsonReadResult {
  readonly value?: JsonValue;
  readonly syntaxError?: JsonSyntaxError;
  /** Paths of keys that appear more than once in their object (second and later occurrences). */
  readonly duplicateKeys: readonly JsonPath[];
  /**
   * With `{ positions: true }`: where each element is written, by its path as `formatPath`
   * shows it (`""` for the document, `Statement[1].Action`): an object member at its key, an
   * array entry at its value, as 1-based line and column (UTF-16 code units, as editors
   * count). A key written twice is at its last occurrence, the one whose value is kept.
   */
  readonly positions?: ReadonlyMap<string, TextPosition>;
}

/** A place in a text: 1-based line and column. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

const MAX_DEPTH = 64;

class Reader {
  pos = 0;
  readonly duplicates: JsonPath[] = [];
  private readonly path: (string | number)[] = [];
  /** Offsets of elements by formatted path, when asked for. */
  readonly offsets: Map<string, number> | undefined;

  constructor(private readonly text: string, positions = false) {
    this.offsets = positions ? new Map() : undefined;
  }

  private mark(at: number): void {
    this.offsets?.set(formatPath(this.path), at);
  }

  fail(message: string, at = this.pos): never {
    let line = 1;
    let column = 1;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    throw new JsonReadFailure({ message, line, column });
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  describeHere(): string {
    if (this.pos >= this.text.length) return 'end of input';
    return JSON.stringify(this.text[this.pos]);
  }

  readDocument(): JsonValue {
    this.skipWhitespace();
    this.mark(this.pos);
    const value = this.readValue(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describeHere()} after the end of the document`);
    return value;
  }

  readValue(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.readObject(depth);
      case '[':
        return this.readArray(depth);
      case '"':
        return this.readString();
      case 't':
        return this.readLiteral('true', true);
      case 'f':
        return this.readLiteral('false', false);
      case 'n':
        return this.readLiteral('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.readNumber();
        return this.fail(`unexpected ${this.describeHere()}; expected a value`);
    }
  }

  readLiteral<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail(`unexpected ${this.describeHere()}; expected a value`);
  }

  readNumber(): number {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    match.lastIndex = this.pos;
    const m = match.exec(this.text);
    if (!m) return this.fail('malformed number');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  readString(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    let chunkStart = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string', start);
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        out += t.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 32) this.fail('control character inside a string; escape it');
      if (c === 92) {
        out += t.slice(chunkStart, this.pos);
        const e = t[this.pos + 1];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            this.pos += 2;
            break;
          case 'b':
            out += '\b';
            this.pos += 2;
            break;
          case 'f':
            out += '\f';
            this.pos += 2;
            break;
          case 'n':
            out += '\n';
            this.pos += 2;
            break;
          case 'r':
            out += '\r';
            this.pos += 2;
            break;
          case 't':
            out += '\t';
            this.pos += 2;
            break;
          case 'u': {
            const hex = t.slice(this.pos + 2, this.pos + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('malformed \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 6;
            break;
          }
          default:
            this.fail('unknown escape sequence');
        }
        chunkStart = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  readArray(depth: number): JsonValue[] {
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      this.path.push(out.length);
      this.mark(this.pos);
      out.push(this.readValue(depth + 1));
      this.path.pop();
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return out;
      }
      this.fail(`unexpected ${this.describeHere()}; expected "," or "]"`);
    }
  }

  readObject(depth: number): JsonObject {
    this.pos++;
    const out = Object.create(null) as JsonObject;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail(`unexpected ${this.describeHere()}; expected a quoted key`);
      const keyAt = this.pos;
      const key = this.readString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail(`unexpected ${this.describeHere()}; expected ":"`);
      this.pos++;
      this.skipWhitespace();
      this.path.push(key);
      if (Object.prototype.hasOwnProperty.call(out, key)) this.duplicates.push([...this.path]);
      this.mark(keyAt);
      const value = this.readValue(depth + 1);
      this.path.pop();
      out[key] = value;
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return out;
      }
      this.fail(`unexpected ${this.describeHere()}; expected "," or "}"`);
    }
  }
}

class JsonReadFailure extends Error {
  constructor(readonly detail: JsonSyntaxError) {
    super(detail.message);
  }
}

/**
 * Reads a JSON document strictly, reporting syntax errors and repeated keys instead of throwing.
 * `positions`: also say where each element is written (what a syntax error leaves unread has none).
 */
export function readJson(text: string, options: { positions?: boolean } = {}): JsonReadResult {
  const reader = new Reader(text, options.positions === true);
  const positions = (): { positions?: ReadonlyMap<string, TextPosition> } =>
    reader.offsets ? { positions: textPositions(text, reader.offsets) } : {};
  try {
    const value = reader.readDocument();
    return { value, duplicateKeys: reader.duplicates, ...positions() };
  } catch (e) {
    if (e instanceof JsonReadFailure) return { syntaxError: e.detail, duplicateKeys: reader.duplicates, ...positions() };
    throw e;
  }
}

/** Offsets in `text` as lines and columns. */
function textPositions(text: string, offsets: ReadonlyMap<string, number>): Map<string, TextPosition> {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const out = new Map<string, TextPosition>();
  for (const [path, offset] of offsets) {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    out.set(path, { line: low + 1, column: offset - lineStarts[low] + 1 });
  }
  return out;
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Formats a path the way errors show it: `Statement[1].Condition.StringEquals`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[^.[\]"\s]+$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
