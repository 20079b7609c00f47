/**
 * Parsers for typed condition values, shared by policy values (parsed once at compile
 * time) and request values (parsed once per request context, lazily).
 * Each returns `undefined` for text that is not a value of its type.
 */
import * as ipaddr from 'ipaddr.js';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Integer or decimal, e.g. `10`, `-3`, `2.5`. */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

const EPOCH = /^[+-]?\d+(?:\.\d+)?$/;
const W3C_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A date as milliseconds since the epoch. Accepts epoch (UNIX) seconds and the W3C
 * profile of ISO 8601 (`2020`, `2020-01`, `2020-01-01`, `2020-01-01T10:00Z`,
 * `2020-01-01T10:00:00.5+02:00`), the two forms the IAM condition operator page names.
 * An all-digit value is epoch seconds. A time without a zone designator is read as UTC.
 */
export function parseDate(text: string): number | undefined {
  if (EPOCH.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined;
  }
  const m = W3C_DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0 || millis > 0))) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** An IP address or CIDR block as bytes. */
export interface IpValue {
  readonly v6: boolean;
  readonly bytes: readonly number[];
  /** Prefix length; 32 or 128 for a single address. */
  readonly bits: number;
}

/** Dotted-quad IPv4 without leading zeros, parsed without allocation; `undefined` otherwise. */
function parseIpv4Fast(text: string): number[] | undefined {
  const bytes = [0, 0, 0, 0];
  let part = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 3 || value > 255) return undefined;
      bytes[part++] = value;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return undefined; // leading zero
      value = value * 10 + (c - 48);
      digits++;
      if (digits > 3) return undefined;
    } else {
      return undefined;
    }
  }
  return part === 4 ? bytes : undefined;
}

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

/** A single IPv4 or IPv6 address, e.g. `203.0.113.7`, `2001:db8::1`. */
export function parseIpAddress(text: string): IpValue | undefined {
  const v4 = parseIpv4Fast(text);
  if (v4 !== undefined) return { v6: false, bytes: v4, bits: 32 };
  const addr = parseAddress(text);
  if (!addr) return undefined;
  const v6 = addr.kind() === 'ipv6';
  return { v6, bytes: addr.toByteArray(), bits: v6 ? 128 : 32 };
}

/**
 * A CIDR block, e.g. `203.0.113.0/24` or `2001:DB8:1234:5678::/64`. "If you specify an
 * IP address without the associated routing prefix, IAM uses the default prefix value
 * of /32" (/128 for IPv6).
 */
export function parseCidr(text: string): IpValue | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return parseIpAddress(text);
  const addr = parseAddress(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const v6 = addr.kind() === 'ipv6';
  const bits = Number(bitsText);
  if (bits > (v6 ? 128 : 32)) return undefined;
  return { v6, bytes: addr.toByteArray(), bits };
}

/** Whether `ip` lies in `block`. Addresses of different families never match. */
export function ipInBlock(ip: IpValue, block: IpValue): boolean {
  if (ip.v6 !== block.v6) return false;
  const full = block.bits >> 3;
  for (let i = 0; i < full; i++) if (ip.bytes[i] !== block.bytes[i]) return false;
  const rest = block.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (ip.bytes[full] & mask) === (block.bytes[full] & mask);
}

/** Decodes base64 to a byte string; `undefined` when the text is not base64. */
export function decodeBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return undefined;
  try {
    return atob(text);
  } catch {
    return undefined;
  }
}

/** `true`/`false` in any letter case; `undefined` otherwise. */
export function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

/** Whether a value has the shape of an ARN: `arn:` and six colon-separated components. */
export function isArnShaped(text: string): boolean {
  if (!text.startsWith('arn:')) return false;
  let colons = 0;
  for (let i = 0; i < text.length && colons < 5; i++) if (text.charCodeAt(i) === 58) colons++;
  return colons >= 5;
}
