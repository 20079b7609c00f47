/**
 * Policy variable resolution at evaluation time (IAM User Guide, "IAM policy elements:
 * Variables and tags"): a variable takes the value of a single-valued context key; a
 * missing key takes the `${key, 'default'}` default when one is written; a multivalued
 * key cannot be a variable ("You can't use a multivalued condition key as a variable").
 * Otherwise the variable has no value and the caller decides what that means.
 */
import type { RequestContextImpl } from '../context/request-context';
import type { VariableRef } from './pattern';

// One shared buffer: resolution is immediately followed by a match, never nested.
const scratch: string[] = [];

/**
 * Resolves `vars` against the context into a shared buffer (valid until the next call),
 * lower-casing values when `lower`. Returns `null` when a variable has no value.
 */
export function resolveVariables(vars: readonly VariableRef[], ctx: RequestContextImpl, lower: boolean): readonly string[] | null {
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i];
    const entry = ctx.entry(v.key);
    let value: string | undefined;
    if (entry !== undefined && !entry.multi) value = lower ? entry.lower(0) : (entry.raw as string);
    else if (v.defaultValue !== undefined) value = lower ? v.defaultValue.toLowerCase() : v.defaultValue;
    if (value === undefined) return null;
    scratch[i] = value;
  }
  return scratch;
}
