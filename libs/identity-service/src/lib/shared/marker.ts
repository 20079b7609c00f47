import { IdentityErrors } from './errors';

/**
 * Opaque pagination markers: the position after the last item of a page,
 * as base64url JSON. Clients pass them back unchanged.
 */
export function encodeMarker(position: Record<string, string>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Reads a marker made by {@link encodeMarker} with the given string fields (none holding U+0000), or throws `InvalidInput`. */
export function decodeMarker<K extends string>(marker: string, fields: readonly K[]): Record<K, string> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch {
    throw IdentityErrors.invalidMarker();
  }
  if (typeof value !== 'object' || value === null) throw IdentityErrors.invalidMarker();
  const record = value as Record<string, unknown>;
  for (const field of fields) {
    // No stored key holds U+0000 (PostgreSQL text cannot): such a marker was forged.
    const part = record[field];
    if (typeof part !== 'string' || part.includes('\u0000')) throw IdentityErrors.invalidMarker();
  }
  return record as Record<K, string>;
}

/** Splits `rows` (fetched with one extra) into a page and whether more follow. */
export function pageOf<T>(rows: T[], maxItems: number): { items: T[]; truncated: boolean } {
  return rows.length > maxItems ? { items: rows.slice(0, maxItems), truncated: true } : { items: rows, truncated: false };
}
