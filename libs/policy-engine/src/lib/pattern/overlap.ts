/**
 * Pattern against pattern: whether two patterns share a matching string (`intersects`),
 * and whether one matches every string the other matches (`covers`). Used to answer
 * "who can do X on resources like Y". Not on the request path.
 *
 * `covers` is sound but not complete: when it says yes, it is so; it may say no for
 * exotic equivalent forms (`?*` against `*?`), which then shows as a partial overlap.
 */
import { LIT, ONE, Pattern, STAR } from './pattern';

/** One character-level token: a literal character, `*` or `?` (with its colon rule), or an unknown variable. */
interface CharToken {
  readonly ch: string | undefined;
  readonly star: boolean;
  readonly any: boolean;
  /** A policy variable whose value is unknown: matches like `*`, never proves coverage. */
  readonly unknown: boolean;
}

const UNKNOWN: CharToken = { ch: undefined, star: true, any: true, unknown: true };

/** Expands a pattern to character tokens; variables take `values[i]` when given, else are unknown. */
export function charTokens(p: Pattern, values?: readonly string[]): CharToken[] {
  const out: CharToken[] = [];
  for (const t of p.tokens) {
    if (t.kind === STAR || t.kind === ONE) out.push({ ch: undefined, star: t.kind === STAR, any: t.anyChar, unknown: false });
    else {
      const text = t.kind === LIT ? t.text : values?.[t.varIndex];
      if (text === undefined) out.push(UNKNOWN);
      else for (const ch of text) out.push({ ch, star: false, any: false, unknown: false });
    }
  }
  return out;
}

function isWild(t: CharToken): boolean {
  return t.ch === undefined;
}

/** Some character both tokens can consume. */
function canShare(a: CharToken, b: CharToken): boolean {
  if (!isWild(a) && !isWild(b)) return a.ch === b.ch;
  if (!isWild(a)) return b.any || a.ch !== ':';
  if (!isWild(b)) return a.any || b.ch !== ':';
  return true;
}

/** Whether some string matches both token lists. */
export function intersects(a: readonly CharToken[], b: readonly CharToken[]): boolean {
  const m = a.length;
  const n = b.length;
  const seen = new Uint8Array((m + 1) * (n + 1));
  const stack: number[] = [0];
  while (stack.length > 0) {
    const state = stack.pop() as number;
    if (seen[state] === 1) continue;
    seen[state] = 1;
    const i = Math.floor(state / (n + 1));
    const j = state % (n + 1);
    if (i === m && j === n) return true;
    const ta = i < m ? a[i] : undefined;
    const tb = j < n ? b[j] : undefined;
    if (ta?.star) stack.push((i + 1) * (n + 1) + j);
    if (tb?.star) stack.push(i * (n + 1) + j + 1);
    if (ta && tb && !(ta.star && tb.star) && canShare(ta, tb)) {
      stack.push((ta.star ? i : i + 1) * (n + 1) + (tb.star ? j : j + 1));
    }
  }
  return false;
}

/** Whether every string matching `inner` matches `outer` (sound, see above). */
export function covers(outer: readonly CharToken[], inner: readonly CharToken[]): boolean {
  const m = outer.length;
  const n = inner.length;
  const seen = new Uint8Array((m + 1) * (n + 1));
  const stack: number[] = [0];
  while (stack.length > 0) {
    const state = stack.pop() as number;
    if (seen[state] === 1) continue;
    seen[state] = 1;
    const i = Math.floor(state / (n + 1));
    const j = state % (n + 1);
    if (i === m && j === n) return true;
    const o = i < m ? outer[i] : undefined;
    const x = j < n ? inner[j] : undefined;
    if (o?.unknown || x?.unknown) continue;
    if (o?.star) stack.push((i + 1) * (n + 1) + j);
    if (!o || !x) continue;
    if (x.star) {
      if (o.star && (o.any || !x.any)) stack.push(i * (n + 1) + j + 1);
      continue;
    }
    if (!isWild(x)) {
      if (!isWild(o)) {
        if (o.ch === x.ch) stack.push((i + 1) * (n + 1) + j + 1);
      } else if (o.any || x.ch !== ':') {
        stack.push((o.star ? i : i + 1) * (n + 1) + j + 1);
      }
    } else if (isWild(o) && (o.any || !x.any)) {
      // inner `?` against outer `?` or `*`
      stack.push((o.star ? i : i + 1) * (n + 1) + j + 1);
    }
  }
  return false;
}
