import { DEFAULT_MAX_ITEMS, IamError, Page, PageRequest } from '@iam/contracts';

/** A position in a listing: the sort key of the last item of a page (stored strings and finite numbers). */
export type MarkerKey = readonly (string | number)[];

/** What to read for one page: the rows after `after`, at most `limit` of them (one more than the page holds). */
export interface PageQuery<K extends MarkerKey> {
  after?: K;
  limit: number;
  maxItems: number;
}

/** AWS's answer to a marker that no previous page of this listing issued. */
export function invalidMarker(): IamError {
  return new IamError('InvalidInput', 'Invalid Marker.');
}

/**
 * One AWS-style listing, paged over a keyset: each page holds the items after
 * the key of the previous page's last item, in a stable order, so pages
 * neither skip nor repeat items that exist throughout the listing.
 *
 * The marker is opaque to callers (base64url JSON) and names the listing that
 * issued it, so a marker of one listing cannot be replayed on another; a
 * marker this listing did not issue is `InvalidInput` ("Invalid Marker.").
 *
 * To add a listing: declare `const USERS = new Listing<[string]>('users', 1)`
 * beside the query, read `USERS.query(request)` (`after` is the key to start
 * after, `limit` the rows to read: one more than the page, to know whether
 * more follow), then cut the rows with `USERS.page(rows, query, keyOf)`.
 * Lists that are already in memory and sorted use `USERS.slice(...)`.
 */
export class Listing<K extends MarkerKey> {
  constructor(
    readonly name: string,
    /** How many parts a key has. */
    private readonly arity: number,
  ) {}

  encode(key: K): string {
    return Buffer.from(JSON.stringify([this.name, ...key]), 'utf8').toString('base64url');
  }

  /** The key a marker carries; `InvalidInput` for a marker this listing did not issue. */
  decode(marker: string): K {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
    } catch {
      throw invalidMarker();
    }
    if (!Array.isArray(decoded) || decoded.length !== this.arity + 1 || decoded[0] !== this.name) throw invalidMarker();
    const key = decoded.slice(1) as unknown as K;
    // Keys are stored strings (never empty, never holding U+0000, which PostgreSQL text cannot) and finite numbers.
    const valid = (part: unknown) =>
      (typeof part === 'string' && part.length > 0 && !part.includes('\u0000')) || (typeof part === 'number' && Number.isFinite(part));
    if (!key.every(valid) || this.encode(key) !== marker) throw invalidMarker();
    return key;
  }

  query(request: PageRequest): PageQuery<K> {
    const maxItems = request.MaxItems ?? DEFAULT_MAX_ITEMS;
    return { ...(request.Marker !== undefined ? { after: this.decode(request.Marker) } : {}), limit: maxItems + 1, maxItems };
  }

  /** Cuts the rows read with {@link query} into a page and AWS's `IsTruncated`/`Marker`. */
  page<T>(rows: T[], query: PageQuery<K>, keyOf: (row: T) => K): { items: T[]; page: Page } {
    if (rows.length <= query.maxItems) return { items: rows, page: { IsTruncated: false } };
    const items = rows.slice(0, query.maxItems);
    return { items, page: { IsTruncated: true, Marker: this.encode(keyOf(items[items.length - 1])) } };
  }

  /**
   * One page of a list held in memory and sorted by `keyOf` (ascending in
   * {@link compareKeys} order): for lists that are small by construction or
   * that are assembled from several services.
   */
  slice<T>(items: readonly T[], request: PageRequest, keyOf: (item: T) => K): { items: T[]; page: Page } {
    const query = this.query(request);
    let start = 0;
    if (query.after !== undefined) {
      const after = query.after;
      start = items.findIndex((item) => compareKeys(keyOf(item), after) > 0);
      if (start === -1) start = items.length;
    }
    return this.page(items.slice(start, start + query.limit), query, keyOf);
  }
}

/** Orders keys part by part: numbers numerically, strings by UTF-16 code units; a shorter key first. */
export function compareKeys(a: MarkerKey, b: MarkerKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}
