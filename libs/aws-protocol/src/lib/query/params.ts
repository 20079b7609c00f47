import { decodeUtf8Strict, percentDecodeToBytes } from '../encoding';
import { AwsProtocolError } from '../errors';
import { PRESIGN_PARAM_NAMES } from '../sigv4/constants';

/** Flat AWS Query parameters: `Name.member.1.Key` → value, in the order received. */
export type QueryParameters = ReadonlyMap<string, string>;

function decodeComponent(text: string, what: string): string {
  return decodeUtf8Strict(percentDecodeToBytes(text, true), what);
}

function addAll(target: Map<string, string>, text: string, skip: ReadonlySet<string>): void {
  for (const item of text.split('&')) {
    if (item.length === 0) continue;
    const eq = item.indexOf('=');
    const name = decodeComponent(eq < 0 ? item : item.slice(0, eq), 'A parameter name');
    if (skip.has(name)) continue;
    const value = eq < 0 ? '' : decodeComponent(item.slice(eq + 1), `The value of parameter '${name}'`);
    if (target.has(name)) {
      throw new AwsProtocolError('InvalidQueryParameter', `The parameter '${name}' appears more than once.`);
    }
    target.set(name, value);
  }
}

/**
 * Parses `application/x-www-form-urlencoded` text (a request body or a URL query string) into
 * flat parameters. `+` decodes to a space, `%XY` to a byte, and the bytes must be UTF-8; an item
 * without `=` has an empty value; empty items are skipped.
 *
 * A repeated parameter name is refused rather than resolved by "first" or "last wins": AWS
 * clients never send one, and refusing leaves no room for two readers to disagree.
 *
 * @throws AwsProtocolError `InvalidQueryParameter` on a malformed escape, invalid UTF-8 or a
 * repeated name.
 */
export function parseFormUrlEncoded(text: string): Map<string, string> {
  const params = new Map<string, string>();
  addAll(params, text, new Set());
  return params;
}

/** Where a Query API request keeps its parameters. */
export interface QueryRequestSource {
  /** The URL query string as received, without `?`. */
  readonly rawQuery: string;
  /** The raw body; read only when `contentType` is `application/x-www-form-urlencoded`. */
  readonly body?: Buffer | Uint8Array | string;
  /** The `Content-Type` header value. */
  readonly contentType?: string;
}

/**
 * Collects the parameters of an AWS Query request from its URL query string and, when the body
 * is `application/x-www-form-urlencoded` (charset, if given, UTF-8), from its body. SigV4
 * presigning parameters (`X-Amz-Algorithm`, `X-Amz-Signature`, ...) are left out. A parameter
 * given in both places counts as repeated. Any other body is ignored.
 *
 * @throws AwsProtocolError `InvalidQueryParameter` as {@link parseFormUrlEncoded}, and for a
 * form body in another charset.
 */
export function readQueryParameters(source: QueryRequestSource): Map<string, string> {
  const skip = new Set(PRESIGN_PARAM_NAMES);
  const params = new Map<string, string>();
  addAll(params, source.rawQuery, skip);

  const [mediaType, ...attributes] = (source.contentType ?? '').split(';').map((part) => part.trim());
  if (mediaType.toLowerCase() !== 'application/x-www-form-urlencoded' || source.body === undefined) return params;
  for (const attribute of attributes) {
    const [name, value = ''] = attribute.split('=').map((part) => part.trim());
    const charset = value.replace(/^"|"$/g, '').toLowerCase();
    if (name.toLowerCase() === 'charset' && charset !== 'utf-8' && charset !== 'utf8') {
      throw new AwsProtocolError('InvalidQueryParameter', `The request body charset '${value}' is not supported; use UTF-8.`);
    }
  }
  const text =
    typeof source.body === 'string' ? source.body : decodeUtf8Strict(source.body, 'The request body');
  addAll(params, text, skip);
  return params;
}
