/**
 * A policy document as AWS's Query API returns it: URL-encoded (RFC 3986, UTF-8). SDKs and the
 * CLI decode it; REST JSON carries the raw text instead.
 */
export function urlEncodeDocument(document: string): string;
export function urlEncodeDocument(document: string | undefined): string | undefined;
export function urlEncodeDocument(document: string | undefined): string | undefined {
  if (document === undefined) return undefined;
  return encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
