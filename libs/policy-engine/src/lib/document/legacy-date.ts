/**
 * The date values IAM's legacy parser accepts in `Date...` condition operators. A value
 * it rejects makes IAM answer "The policy failed legacy parsing" (expectations recorded
 * against IAM: `libs/policy-engine/validation/`).
 *
 * A value with a `t`/`T` or a `-` is an ISO 8601 date-time: year (-292275054 to
 * 292278993), optional month (1-12) and day (1-31), then after `T` optional hours (0-23),
 * minutes (0-59) and seconds (0-59) with an optional fraction of up to nine digits and an
 * optional `Z`, or `+HH` / `+HH:MM` zone. Anything else is epoch seconds, an integer from 0
 * to 2^63-1.
 */
const INTEGER = /^[+-]?\d+$/;

function integerIn(text: string, min: number, max: number): boolean {
  if (!INTEGER.test(text)) return false;
  const n = Number(text);
  return n >= min && n <= max;
}

function validTime(time: string): boolean {
  if (time === '') return true;
  const parts = time.split(':');
  if (parts[0] !== '' && !integerIn(parts[0], 0, 23)) return false;
  if (parts.length > 1 && !integerIn(parts[1], 0, 59)) return false;
  if (parts.length <= 2) return true;
  let seconds = parts.slice(2).join(':');
  const z = seconds.indexOf('z');
  const plus = seconds.indexOf('+');
  if (z >= 0) {
    if (z !== seconds.length - 1) return false;
    seconds = seconds.slice(0, z);
  } else if (plus >= 0) {
    const zone = seconds.slice(plus + 1);
    seconds = seconds.slice(0, plus);
    const [hours, minutes, ...more] = zone.split(':');
    if (more.length > 0 || hours.length !== 2 || !integerIn(hours, 0, 23)) return false;
    if (minutes !== undefined && (minutes.length !== 2 || !integerIn(minutes, 0, 59))) return false;
  }
  const dot = seconds.indexOf('.');
  const whole = dot < 0 ? seconds : seconds.slice(0, dot);
  if (!integerIn(whole, 0, 59)) return false;
  return dot < 0 || integerIn(seconds.slice(dot + 1), 0, 999_999_999);
}

/** Whether IAM's legacy parser accepts `value` as a date condition value. */
export function legacyDateAccepted(value: string): boolean {
  const text = value.toLowerCase();
  if (text.includes('t') || text.includes('-')) {
    const t = text.indexOf('t');
    const date = t < 0 ? text : text.slice(0, t);
    const time = t < 0 ? '' : text.slice(t + 1);
    const negative = date.startsWith('-');
    const fields = (negative ? date.slice(1) : date).split('-');
    if (fields.length > 3) return false;
    if (!integerIn((negative ? '-' : '') + fields[0], -292275054, 292278993)) return false;
    if (fields.length > 1 && !integerIn(fields[1], 1, 12)) return false;
    if (fields.length > 2 && !integerIn(fields[2], 1, 31)) return false;
    return validTime(time);
  }
  if (!/^\d+$/.test(text)) return false;
  return BigInt(text) <= 9223372036854775807n;
}
