import { AwsProtocolError } from './errors';

const HEX = '0123456789ABCDEF';
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

/**
 * URI-encodes bytes the way SigV4 requires (RFC 3986): the unreserved characters
 * `A-Z a-z 0-9 - . _ ~` stay as they are, every other byte becomes `%XY` with upper-case hex.
 * When `keepSlash` is set, `/` is kept too (for canonical paths).
 */
export function uriEncodeBytes(bytes: Uint8Array, keepSlash = false): string {
  let out = '';
  for (const byte of bytes) {
    if (isUnreserved(byte) || (keepSlash && byte === 0x2f)) {
      out += String.fromCharCode(byte);
    } else {
      out += '%' + HEX[byte >> 4] + HEX[byte & 0x0f];
    }
  }
  return out;
}

/** URI-encodes the UTF-8 bytes of `text` (see {@link uriEncodeBytes}). */
export function uriEncode(text: string, keepSlash = false): string {
  return uriEncodeBytes(Buffer.from(text, 'utf8'), keepSlash);
}

/**
 * Decodes `%XY` escapes into raw bytes. Characters that are not escaped contribute their UTF-8
 * bytes; with `plusAsSpace` a `+` decodes to a space (HTML form encoding), otherwise it stays `+`.
 *
 * @throws AwsProtocolError `InvalidQueryParameter` on a truncated or non-hex escape.
 */
export function percentDecodeToBytes(text: string, plusAsSpace: boolean): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25 /* % */) {
      if (i + 2 >= text.length) {
        throw new AwsProtocolError('InvalidQueryParameter', 'Incomplete trailing escape % sequence');
      }
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) {
        throw new AwsProtocolError(
          'InvalidQueryParameter',
          `Illegal hex character in escape % pattern: ${text.slice(i, i + 3)}`,
        );
      }
      bytes.push((hi << 4) | lo);
      i += 2;
    } else if (code === 0x2b /* + */ && plusAsSpace) {
      bytes.push(0x20);
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      // Non-ASCII character sent unescaped: take its UTF-8 bytes (surrogate pairs included).
      const codePoint = text.codePointAt(i) ?? code;
      const char = String.fromCodePoint(codePoint);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length - 1;
    }
  }
  return Buffer.from(bytes);
}

/**
 * Decodes bytes as strict UTF-8.
 *
 * @throws AwsProtocolError `InvalidQueryParameter` naming `what` when the bytes are not valid UTF-8.
 */
export function decodeUtf8Strict(bytes: Uint8Array, what: string): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new AwsProtocolError('InvalidQueryParameter', `${what} is not valid UTF-8 once percent-decoded.`);
  }
}
