import { DEFAULT_MAX_ITEMS, Page } from '@iam/contracts';
import { DirectoryErrors } from './directory-errors';

/**
 * AWS-style pagination over a keyset: each page is the rows after the last
 * key of the previous page in a stable order, so pages neither skip nor
 * repeat rows that exist throughout the listing. The marker is opaque to
 * callers; it names the listing it belongs to, so a marker of one listing
 * cannot be replayed on another.
 */
export function encodeMarker(listing: string, key: string): string {
  return Buffer.from(JSON.stringify([listing, key]), 'utf8').toString('base64url');
}

/** The key a marker carries; `InvalidInput` for a marker this listing did not issue. */
export function decodeMarker(listing: string, marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch {
    throw DirectoryErrors.invalidMarker();
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    decoded[0] !== listing ||
    typeof decoded[1] !== 'string' ||
    decoded[1].length === 0 ||
    // No stored key holds U+0000 (PostgreSQL text cannot): such a marker was forged.
    decoded[1].includes('\u0000') ||
    encodeMarker(listing, decoded[1]) !== marker
  ) {
    throw DirectoryErrors.invalidMarker();
  }
  return decoded[1];
}

export interface PageQuery {
  /** The key after which the page starts. */
  after?: string;
  /** How many rows to read: one more than the page holds, to know whether more follow. */
  limit: number;
  maxItems: number;
}

export function pageQuery(listing: string, request: { Marker?: string; MaxItems?: number }): PageQuery {
  const maxItems = request.MaxItems ?? DEFAULT_MAX_ITEMS;
  return { after: decodeMarker(listing, request.Marker), limit: maxItems + 1, maxItems };
}

/** Cuts the rows read with {@link pageQuery} into a page and its AWS `IsTruncated`/`Marker`. */
export function toPage<T>(listing: string, rows: T[], query: PageQuery, keyOf: (row: T) => string): { items: T[]; page: Page } {
  if (rows.length <= query.maxItems) return { items: rows, page: { IsTruncated: false } };
  const items = rows.slice(0, query.maxItems);
  return { items, page: { IsTruncated: true, Marker: encodeMarker(listing, keyOf(items[items.length - 1])) } };
}
