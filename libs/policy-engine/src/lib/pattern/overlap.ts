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

/**
 * Whether (m, n) can be reached from (0, 0) over pairs of positions in two token lists, where
 * `step(i, j, go)` calls `go` with each pair reachable in one step from (i, j) (i < m or j < n).
 * Each pair is visited once: the search is O(m × n).
 */
function reachesEnd(m: number, n: number, step: (i: number, j: number, go: (i: number, j: number) => void) => void): boolean {
  const seen = new Uint8Array((m + 1) * (n + 1));
  const stack: number[] = [0];
  const go = (i: number, j: number) => void stack.push(i * (n + 1) + j);
  while (stack.length > 0) {
    const state = stack.pop() as number;
    if (seen[state] === 1) continue;
    seen[state] = 1;
    const i = Math.floor(state / (n + 1));
    const j = state % (n + 1);
    if (i === m && j === n) return true;
    step(i, j, go);
  }
  return false;
}

/** Whether some string matches both token lists. */
export function intersects(a: readonly CharToken[], b: readonly CharToken[]): boolean {
  return reachesEnd(a.length, b.length, (i, j, go) => {
    const ta = i < a.length ? a[i] : undefined;
    const tb = j < b.length ? b[j] : undefined;
    if (ta?.star) go(i + 1, j);
    if (tb?.star) go(i, j + 1);
    if (ta && tb && !(ta.star && tb.star) && canShare(ta, tb)) go(ta.star ? i : i + 1, tb.star ? j : j + 1);
  });
}

/** Whether every string matching `inner` matches `outer` (sound, see above). */
export function covers(outer: readonly CharToken[], inner: readonly CharToken[]): boolean {
  return reachesEnd(outer.length, inner.length, (i, j, go) => {
    const o = i < outer.length ? outer[i] : undefined;
    const x = j < inner.length ? inner[j] : undefined;
    if (o?.unknown || x?.unknown) return;
    if (o?.star) go(i + 1, j);
    if (!o || !x) return;
    if (x.star) {
      if (o.star && (o.any || !x.any)) go(i, j + 1);
      return;
    }
    if (!isWild(x)) {
      if (!isWild(o)) {
        if (o.ch === x.ch) go(i + 1, j + 1);
      } else if (o.any || x.ch !== ':') {
        go(o.star ? i : i + 1, j + 1);
      }
    } else if (isWild(o) && (o.any || !x.any)) {
      // inner `?` against outer `?` or `*`
      go(o.star ? i : i + 1, j + 1);
    }
  });
}
