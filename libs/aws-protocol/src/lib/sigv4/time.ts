import { AwsProtocolError } from '../errors';
import { DEFAULT_MAX_CLOCK_SKEW_MS } from './constants';

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// IMF-fixdate (RFC 9110): "Sat, 28 Nov 2026 01:02:03 GMT"
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

function utcDate(year: number, month: number, day: number, hour: number, minute: number, second: number): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const valid =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return valid ? date : undefined;
}

function badDate(text: string): AwsProtocolError {
  return new AwsProtocolError(
    'IncompleteSignature',
    `Date must be in ISO-8601 'basic format'. Got '${text}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  );
}

/** Formats an instant in ISO 8601 basic format, `YYYYMMDDTHHMMSSZ`, as SigV4 uses it. */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Parses an `X-Amz-Date` value (`YYYYMMDDTHHMMSSZ`, a real calendar instant).
 *
 * @throws AwsProtocolError `IncompleteSignature` with AWS's wording otherwise.
 */
export function parseAmzDate(text: string): Date {
  const match = AMZ_DATE.exec(text);
  const date = match ? utcDate(+match[1], +match[2], +match[3], +match[4], +match[5], +match[6]) : undefined;
  if (!date) throw badDate(text);
  return date;
}

/**
 * Parses the value of a `Date` header, used when `X-Amz-Date` is absent: either ISO 8601 basic
 * format or an HTTP IMF-fixdate (`Sat, 28 Nov 2026 01:02:03 GMT`).
 *
 * @throws AwsProtocolError `IncompleteSignature` for anything else.
 */
export function parseDateHeader(text: string): Date {
  if (AMZ_DATE.test(text)) return parseAmzDate(text);
  const match = IMF_FIXDATE.exec(text);
  const month = match ? MONTHS.indexOf(match[2]) + 1 : 0;
  const date =
    match && month > 0 ? utcDate(+match[3], month, +match[1], +match[4], +match[5], +match[6]) : undefined;
  if (!date) throw badDate(text);
  return date;
}

/** Options of {@link checkRequestTime}. */
export interface RequestTimeOptions {
  /** Allowed difference between the request date and `now`; 15 minutes unless given. */
  readonly maxClockSkewMs?: number;
}

function describeSkew(ms: number): string {
  return ms % 60000 === 0 ? `${ms / 60000} min` : `${Math.round(ms / 1000)} sec`;
}

/**
 * Checks a request's date against the server clock, as the gateway must before asking identity
 * to verify the signature.
 *
 * - Any request dated more than the skew (15 minutes) after `now` is rejected.
 * - A request sent with an `Authorization` header, or presigned without `X-Amz-Expires`, is
 *   rejected when dated more than the skew before `now`.
 * - A presigned request with `X-Amz-Expires` is rejected once `now` is past its date plus its
 *   expiry (no extra grace).
 *
 * @throws AwsProtocolError `RequestExpired`, with AWS's "Signature expired" / "Signature not yet
 * current" wording.
 */
export function checkRequestTime(
  auth: { readonly requestTime: Date; readonly authType: 'header' | 'presigned'; readonly expiresSeconds?: number },
  now: Date,
  options: RequestTimeOptions = {},
): void {
  const skew = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  const requestMs = auth.requestTime.getTime();
  const nowMs = now.getTime();
  const request = formatAmzDate(auth.requestTime);
  const server = formatAmzDate(now);

  if (requestMs > nowMs + skew) {
    throw new AwsProtocolError(
      'RequestExpired',
      `Signature not yet current: ${request} is still later than ${formatAmzDate(new Date(nowMs + skew))} ` +
        `(${server} + ${describeSkew(skew)}.)`,
    );
  }
  if (auth.authType === 'presigned' && auth.expiresSeconds !== undefined) {
    const endMs = requestMs + auth.expiresSeconds * 1000;
    if (nowMs > endMs) {
      throw new AwsProtocolError(
        'RequestExpired',
        `Request has expired: X-Amz-Date ${request} plus X-Amz-Expires ${auth.expiresSeconds} ended at ` +
          `${formatAmzDate(new Date(endMs))}; server time is ${server}.`,
      );
    }
    return;
  }
  if (requestMs < nowMs - skew) {
    throw new AwsProtocolError(
      'RequestExpired',
      `Signature expired: ${request} is now earlier than ${formatAmzDate(new Date(nowMs - skew))} ` +
        `(${server} - ${describeSkew(skew)}.)`,
    );
  }
}
