import type { PasswordPolicy } from '@iam/contracts';

/**
 * The rules a new password must satisfy: the account's policy, or AWS's
 * default rules when none is set (at least 8 characters, at least three of
 * upper case, lower case, digits and symbols, not the account id or the
 * user's name). Pure: no I/O, no clock.
 */
export interface PasswordRules {
  /** A policy the administrator set, or AWS's defaults. */
  kind: 'custom' | 'default';
  minimumLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercase: boolean;
  requireLowercase: boolean;
  allowUsersToChangePassword: boolean;
  /** Days; undefined when passwords never expire. */
  maxPasswordAge?: number;
  /** How many previous passwords may not be reused; undefined when any may. */
  reusePrevention?: number;
  hardExpiry: boolean;
}

/** The symbols AWS counts: ! @ # $ % ^ & * ( ) _ + - = [ ] { } | ' */
export const PASSWORD_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

/**
 * `UpdateAccountPasswordPolicy` with every field omitted. `MaxPasswordAge`,
 * `PasswordReusePrevention` and `HardExpiry` have no default: they stay unset (AWS then
 * leaves them out of `GetAccountPasswordPolicy`; unset `HardExpiry` acts as false).
 */
export const POLICY_FIELD_DEFAULTS = {
  MinimumPasswordLength: 6,
  RequireSymbols: false,
  RequireNumbers: false,
  RequireUppercaseCharacters: false,
  RequireLowercaseCharacters: false,
  AllowUsersToChangePassword: false,
} as const;

/** AWS's rules when no policy is set. */
export const AWS_DEFAULT_RULES: PasswordRules = {
  kind: 'default',
  minimumLength: 8,
  requireSymbols: false,
  requireNumbers: false,
  requireUppercase: false,
  requireLowercase: false,
  allowUsersToChangePassword: false,
  hardExpiry: false,
};

/** The most previous passwords any policy can protect, hence the history kept per user. */
export const MAX_REUSE_PREVENTION = 24;

export function rulesFromPolicy(policy: PasswordPolicy): PasswordRules {
  return {
    kind: 'custom',
    minimumLength: policy.MinimumPasswordLength,
    requireSymbols: policy.RequireSymbols,
    requireNumbers: policy.RequireNumbers,
    requireUppercase: policy.RequireUppercaseCharacters,
    requireLowercase: policy.RequireLowercaseCharacters,
    allowUsersToChangePassword: policy.AllowUsersToChangePassword,
    maxPasswordAge: policy.MaxPasswordAge,
    reusePrevention: policy.PasswordReusePrevention,
    hardExpiry: policy.HardExpiry ?? false,
  };
}

const has = {
  uppercase: (p: string) => /[A-Z]/.test(p),
  lowercase: (p: string) => /[a-z]/.test(p),
  number: (p: string) => /[0-9]/.test(p),
  symbol: (p: string) => [...p].some((c) => PASSWORD_SYMBOLS.includes(c)),
};

const MESSAGES = {
  uppercase: 'Password should have at least one uppercase letter',
  lowercase: 'Password should have at least one lowercase letter',
  number: 'Password should have at least one number',
  symbol: 'Password should have at least one symbol',
};

/**
 * What is wrong with `password` under `rules`, one AWS-worded line per rule
 * broken (empty when it is acceptable). Reuse is checked apart: it needs
 * the password history.
 */
export function passwordProblems(password: string, rules: PasswordRules, context: { userName?: string; accountId: string }): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < rules.minimumLength) problems.push(`Password should have a minimum length of ${rules.minimumLength}`);
  if (rules.kind === 'custom') {
    if (rules.requireUppercase && !has.uppercase(password)) problems.push(MESSAGES.uppercase);
    if (rules.requireLowercase && !has.lowercase(password)) problems.push(MESSAGES.lowercase);
    if (rules.requireNumbers && !has.number(password)) problems.push(MESSAGES.number);
    if (rules.requireSymbols && !has.symbol(password)) problems.push(MESSAGES.symbol);
    return problems;
  }
  const kinds = (['uppercase', 'lowercase', 'number', 'symbol'] as const).filter((kind) => !has[kind](password));
  const present = 4 - kinds.length;
  if (present < 3) {
    problems.push(`Password should meet ${3 - present} more of the following requirements: ${kinds.map((kind) => MESSAGES[kind]).join(', ')}`);
  }
  const lower = password.toLowerCase();
  if (lower === context.accountId || (context.userName !== undefined && lower === context.userName.toLowerCase())) {
    problems.push('Password should not be identical to the account ID or the user name');
  }
  return problems;
}

export function reuseProblem(count: number): string {
  return `Password should not be one of your ${count} previous passwords`;
}

/** Has a password set at `changedAt` expired at `now` under `rules`? */
export function passwordExpired(changedAt: Date, rules: Pick<PasswordRules, 'maxPasswordAge'>, now: Date): boolean {
  if (!rules.maxPasswordAge) return false;
  return now.getTime() >= changedAt.getTime() + rules.maxPasswordAge * 86_400_000;
}
