/**
 * The request context: the condition keys of one request and their values.
 *
 * Built once per request. Keys are case-insensitive ("Context key names are not
 * case-sensitive"); values are kept as given. A string is a single-valued key, an
 * array a multivalued key. Typed values (numbers, dates, IP addresses, base64) stay
 * strings here; each operator parses the values it compares, once per context.
 */
import { decodeBase64, IpValue, isArnShaped, parseDate, parseIpAddress, parseNumber } from '../conditions/values';

/** A request context: condition keys and their values, keys case-insensitive. */
export interface RequestContext {
  /** Whether the request has a value for `key` (case-insensitive). */
  has(key: string): boolean;
  /**
   * The value of `key` (case-insensitive): a string for a single-valued key, an array
   * for a multivalued key, `undefined` when absent.
   */
  get(key: string): string | readonly string[] | undefined;
  /** The keys as given, in the order given. */
  readonly keys: readonly string[];
}

/** Value types of AWS `ContextEntry.ContextKeyType` (IAM simulation APIs). */
export type ContextKeyType =
  | 'string'
  | 'stringList'
  | 'numeric'
  | 'numericList'
  | 'boolean'
  | 'booleanList'
  | 'ip'
  | 'ipList'
  | 'binary'
  | 'binaryList'
  | 'date'
  | 'dateList';

/** One typed context entry, as the simulation APIs take it. */
export interface ContextEntry {
  readonly key: string;
  readonly type: ContextKeyType;
  readonly values: readonly string[];
}

/** Raised when a request context cannot be built from the given values. */
export class RequestContextError extends Error {
  override readonly name = 'RequestContextError';
}

/** @internal One key of a context, with lazily parsed forms of its values. */
export class ContextValue {
  private lowerCache: string[] | undefined;
  private numberCache: (number | undefined)[] | undefined;
  private dateCache: (number | undefined)[] | undefined;
  private ipCache: (IpValue | undefined)[] | undefined;
  private binaryCache: (string | undefined)[] | undefined;
  private arnCache: boolean[] | undefined;
  /** Number of values (1 for a single-valued key). */
  readonly length: number;

  constructor(
    /** The key as given. */
    readonly name: string,
    /** The value as given: a string (single-valued) or a frozen array (multivalued). */
    readonly raw: string | readonly string[],
    /** Given as an array (multivalued), whatever its length. */
    readonly multi: boolean,
  ) {
    this.length = multi ? raw.length : 1;
  }

  /** Value `i` (0 for a single-valued key). */
  value(i: number): string {
    return this.multi ? (this.raw as readonly string[])[i] : (this.raw as string);
  }

  private map<T>(parse: (v: string) => T): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) out.push(parse(this.value(i)));
    return out;
  }

  lower(i: number): string {
    if (this.lowerCache === undefined) this.lowerCache = this.map((v) => v.toLowerCase());
    return this.lowerCache[i];
  }
  number(i: number): number | undefined {
    if (this.numberCache === undefined) this.numberCache = this.map(parseNumber);
    return this.numberCache[i];
  }
  date(i: number): number | undefined {
    if (this.dateCache === undefined) this.dateCache = this.map(parseDate);
    return this.dateCache[i];
  }
  ip(i: number): IpValue | undefined {
    if (this.ipCache === undefined) this.ipCache = this.map(parseIpAddress);
    return this.ipCache[i];
  }
  binary(i: number): string | undefined {
    if (this.binaryCache === undefined) this.binaryCache = this.map(decodeBase64);
    return this.binaryCache[i];
  }
  isArn(i: number): boolean {
    if (this.arnCache === undefined) this.arnCache = this.map(isArnShaped);
    return this.arnCache[i];
  }
}

/** @internal */
export class RequestContextImpl implements RequestContext {
  private keyList: readonly string[] | undefined;

  constructor(private readonly entries: ReadonlyMap<string, ContextValue>) {}

  get keys(): readonly string[] {
    if (this.keyList === undefined) this.keyList = Object.freeze([...this.entries.values()].map((e) => e.name));
    return this.keyList;
  }

  has(key: string): boolean {
    return this.entries.has(key.toLowerCase());
  }

  get(key: string): string | readonly string[] | undefined {
    return this.entries.get(key.toLowerCase())?.raw;
  }

  /** Lookup by an already lower-cased key. */
  entry(lowerKey: string): ContextValue | undefined {
    return this.entries.get(lowerKey);
  }
}

function addEntry(map: Map<string, ContextValue>, key: string, value: string | readonly string[]): void {
  if (typeof key !== 'string' || key === '') throw new RequestContextError('a context key must be a non-empty string');
  const lower = key.toLowerCase();
  const previous = map.get(lower);
  if (previous !== undefined) {
    throw new RequestContextError(`context key "${key}" is given twice (as "${previous.name}"); keys are case-insensitive`);
  }
  if (typeof value === 'string') {
    map.set(lower, new ContextValue(key, value, false));
    return;
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new RequestContextError(`context key "${key}" must have a string or an array of strings as value`);
  }
  // An empty list is a key without value: ForAllValues holds, ForAnyValue does not, Null sees it absent.
  if (value.length === 0) return;
  map.set(lower, new ContextValue(key, Object.freeze([...value]), true));
}

/**
 * Builds a request context from condition keys and values. A string is a single-valued
 * key, an array a multivalued key (even with one element); an empty array or `undefined`
 * counts as the key being absent. Principal facts used by policy variables come in here too:
 * `aws:username`, `aws:userid`, `aws:PrincipalTag/KEY`, ...
 *
 * @throws RequestContextError when a key is given twice in different letter case, or a
 *   value is neither a string nor an array of strings.
 */
export function createRequestContext(values: Readonly<Record<string, string | readonly string[]>>): RequestContext {
  const map = new Map<string, ContextValue>();
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (value !== undefined) addEntry(map, key, value);
  }
  return new RequestContextImpl(map);
}

const LIST_TYPES = new Set<ContextKeyType>(['stringList', 'numericList', 'booleanList', 'ipList', 'binaryList', 'dateList']);

function checkTyped(entry: ContextEntry, value: string): void {
  const base = entry.type.replace(/List$/, '');
  const ok =
    base === 'string' ||
    (base === 'numeric' && parseNumber(value) !== undefined) ||
    (base === 'boolean' && /^(true|false)$/i.test(value)) ||
    (base === 'ip' && parseIpAddress(value) !== undefined) ||
    (base === 'binary' && decodeBase64(value) !== undefined) ||
    (base === 'date' && parseDate(value) !== undefined);
  if (!ok) throw new RequestContextError(`context key "${entry.key}" has type ${entry.type} but value "${value}" is not of that type`);
}

/**
 * Builds a request context from typed entries, as the IAM simulation APIs take them
 * (`ContextEntries` with `ContextKeyName`, `ContextKeyValues`, `ContextKeyType`).
 * List types give multivalued keys; other types need exactly one value.
 *
 * @throws RequestContextError for a repeated key, an unknown type, a scalar type with
 *   other than one value, or a value that does not parse as its type.
 */
export function createRequestContextFromEntries(entries: readonly ContextEntry[]): RequestContext {
  const map = new Map<string, ContextValue>();
  for (const entry of entries) {
    if (!LIST_TYPES.has(entry.type) && !['string', 'numeric', 'boolean', 'ip', 'binary', 'date'].includes(entry.type)) {
      throw new RequestContextError(`context key "${entry.key}" has unknown type "${String(entry.type)}"`);
    }
    for (const v of entry.values) checkTyped(entry, v);
    if (LIST_TYPES.has(entry.type)) {
      addEntry(map, entry.key, entry.values);
    } else {
      if (entry.values.length !== 1) {
        throw new RequestContextError(`context key "${entry.key}" has type ${entry.type} and needs exactly one value, found ${entry.values.length}`);
      }
      addEntry(map, entry.key, entry.values[0]);
    }
  }
  return new RequestContextImpl(map);
}

/** Shared empty context. */
export const EMPTY_CONTEXT: RequestContext = new RequestContextImpl(new Map());
