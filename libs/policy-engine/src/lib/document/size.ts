/**
 * Policy size as IAM counts it.
 *
 * "IAM does not count white space when calculating the size of a policy against
 * these limits" (IAM User Guide, "IAM and AWS STS quotas"). The quota pages do not
 * restrict that to white space between JSON tokens, and tools that match IAM's
 * figures (cfn-lint, kops, the IAM console's character counter) drop every white
 * space character, inside strings too. So do we: the size is the number of
 * characters (code points) of the text that are not space, tab, line feed or
 * carriage return. Those four are the only white space a policy may contain:
 * IAM accepts only tab, line feed, carriage return and U+0020 to U+00FF.
 */

/** Largest managed policy document, in characters without white space. */
export const MANAGED_POLICY_MAX_SIZE = 6144;
/** Largest aggregate size of all inline policies of one user, in characters without white space. */
export const USER_INLINE_POLICIES_MAX_SIZE = 2048;
/** Largest aggregate size of all inline policies of one group, in characters without white space. */
export const GROUP_INLINE_POLICIES_MAX_SIZE = 5120;

/**
 * Size of a policy document as IAM counts it against its quotas: characters that are
 * not white space. Works on any text, valid JSON or not. For the inline-policy
 * aggregate limits, sum this over the entity's inline policies.
 */
export function policyDocumentSize(text: string): number {
  let size = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    // count a surrogate pair once
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const prev = text.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) continue;
    }
    size++;
  }
  return size;
}
