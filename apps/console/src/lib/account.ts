/**
 * The account as the console names it. AWS's sign-in URL carries the account's alias when it
 * has one (`https://<alias>.signin.aws.amazon.com/console`), else its id; the console shows
 * "Account: <alias or id>" and its sign-in link carries the same (`/console/?account=<...>`).
 */

/** AWS's rule for an alias (3 to 63 lower-case letters, digits and single hyphens, not at either end), as the server checks it. */
const ALIAS = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;
const ACCOUNT_ID = /^\d{12}$/;

/** The account's name: its alias when one is set (`ListAccountAliases`), else its id. */
export function accountLabel(accountId: string, aliases: readonly string[] | undefined): string {
  return aliases?.[0] ?? accountId;
}

/** The sign-in link for the account: the console's address with `?account=<alias or id>`. */
export function signInLink(consoleUrl: string, account: string): string {
  const url = new URL(consoleUrl);
  url.search = new URLSearchParams({ account }).toString();
  url.hash = '';
  return url.toString();
}

/**
 * The account a sign-in link names (`?account=` in `search`), when it is an account id or an
 * alias by AWS's rule; anything else (a link made up to show some other text) is ignored.
 */
export function accountFromLink(search: string): string | undefined {
  const account = new URLSearchParams(search).get('account')?.trim();
  if (!account) return undefined;
  return ACCOUNT_ID.test(account) || ALIAS.test(account) ? account : undefined;
}
