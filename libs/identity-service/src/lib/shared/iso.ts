/** ISO 8601 for replies, or undefined for a missing date. */
export function iso(date: Date): string;
export function iso(date: Date | null | undefined): string | undefined;
export function iso(date: Date | null | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}
