/**
 * The rules a new password must meet, as the identity service applies them: the account's
 * password policy, or AWS's default rules when none is set (at least 8 characters, at least
 * three of upper case, lower case, numbers and symbols, not the account id or the user name).
 * Shown to the user as it types; the API still decides.
 */
export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  ExpirePasswords?: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

/** The symbols AWS counts. */
export const PASSWORD_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

export interface PasswordRule {
  /** Stable, for keys and tests. */
  id: string;
  /** What the rule asks, as shown next to the field. */
  label: string;
  met: boolean;
}

const has = {
  uppercase: (p: string) => /[A-Z]/.test(p),
  lowercase: (p: string) => /[a-z]/.test(p),
  number: (p: string) => /[0-9]/.test(p),
  symbol: (p: string) => [...p].some((c) => PASSWORD_SYMBOLS.includes(c)),
};

/** Each rule the password policy (or AWS's defaults, when `policy` is undefined) sets, met or not by `password`. */
export function passwordRules(
  password: string,
  policy: PasswordPolicy | undefined,
  context: { userName?: string; accountId?: string } = {},
): PasswordRule[] {
  const length = [...password].length;
  if (policy) {
    const rules: PasswordRule[] = [
      { id: 'length', label: `At least ${policy.MinimumPasswordLength} characters`, met: length >= policy.MinimumPasswordLength },
    ];
    if (policy.RequireUppercaseCharacters) rules.push({ id: 'uppercase', label: 'An uppercase letter (A–Z)', met: has.uppercase(password) });
    if (policy.RequireLowercaseCharacters) rules.push({ id: 'lowercase', label: 'A lowercase letter (a–z)', met: has.lowercase(password) });
    if (policy.RequireNumbers) rules.push({ id: 'number', label: 'A number (0–9)', met: has.number(password) });
    if (policy.RequireSymbols) rules.push({ id: 'symbol', label: `A symbol (${PASSWORD_SYMBOLS})`, met: has.symbol(password) });
    return rules;
  }
  const kinds = [has.uppercase(password), has.lowercase(password), has.number(password), has.symbol(password)].filter(Boolean).length;
  const lower = password.toLowerCase();
  const same =
    password !== '' &&
    ((context.accountId !== undefined && lower === context.accountId) || (context.userName !== undefined && lower === context.userName.toLowerCase()));
  return [
    { id: 'length', label: 'At least 8 characters', met: length >= 8 },
    { id: 'kinds', label: 'At least three of: uppercase letters, lowercase letters, numbers, symbols', met: kinds >= 3 },
    { id: 'identity', label: 'Not your user name or the account id', met: password !== '' && !same },
  ];
}

/** Whether every rule is met. */
export function meetsRules(rules: readonly PasswordRule[]): boolean {
  return rules.every((rule) => rule.met);
}

/** What the policy says beyond the rules of the characters: reuse and expiry. */
export function policyNotes(policy: PasswordPolicy | undefined): string[] {
  if (!policy) return [];
  const notes: string[] = [];
  if (policy.PasswordReusePrevention) notes.push(`It must differ from your ${policy.PasswordReusePrevention} previous passwords.`);
  if (policy.MaxPasswordAge) notes.push(`It expires after ${policy.MaxPasswordAge} days.`);
  return notes;
}
