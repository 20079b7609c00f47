import { z } from 'zod';
import { IamError } from './errors';

/**
 * Request validation with AWS's wording.
 *
 * AWS reports constraint violations as
 * `1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`.
 * The helpers below attach that wording to zod schemas so a contract schema
 * is also the source of the client-facing message.
 */

/**
 * `UserName` → `userName`: AWS names members in lower camel case in messages, and the members of
 * a list by their position from 1 followed by `member` (`tags.1.member.key`).
 */
export function memberName(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part) =>
      typeof part === 'number' ? `${part + 1}.member` : String(part).charAt(0).toLowerCase() + String(part).slice(1),
    )
    .join('.');
}

/**
 * The type a member must have, in the words of the AWS model (as the gateway's input shapes
 * name them): zod's `number`/`int` are `integer`, `array` is `list`, `object` is `structure`.
 */
function awsTypeName(expected: string): string {
  return ({ number: 'integer', int: 'integer', array: 'list', object: 'structure' } as Record<string, string>)[expected] ?? expected;
}

function quote(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return `'${String(value)}'`;
}

export interface AwsStringRules {
  min?: number;
  max?: number;
  /** The pattern as AWS prints it, without anchors; it must match the whole value. */
  pattern?: string;
  /**
   * Free text (no pattern) that is stored: it may not hold U+0000, which PostgreSQL text
   * cannot keep. Text that is only evaluated (a resource in a decision) may.
   */
  stored?: boolean;
}

function stringProblems(value: string, rules: AwsStringRules, whole: RegExp | undefined): string[] {
  const problems: string[] = [];
  if (rules.min !== undefined && value.length < rules.min) {
    problems.push(`Member must have length greater than or equal to ${rules.min}`);
  }
  if (rules.max !== undefined && value.length > rules.max) {
    problems.push(`Member must have length less than or equal to ${rules.max}`);
  }
  if (whole && !whole.test(value)) {
    problems.push(`Member must satisfy regular expression pattern: ${rules.pattern}`);
  }
  return problems;
}

function wholePattern(rules: AwsStringRules): RegExp | undefined {
  return rules.pattern ? new RegExp(`^(?:${rules.pattern})$`, 'u') : undefined;
}

/** A string with AWS length and pattern constraints and AWS-worded failures. */
export function awsString(rules: AwsStringRules = {}) {
  const whole = wholePattern(rules);
  return z.string().superRefine((value, ctx) => {
    const problems = stringProblems(value, rules, whole);
    if (rules.stored && value.includes('\u0000')) problems.push('Member must not contain the NUL character (U+0000)');
    for (const message of problems) {
      ctx.addIssue({ code: 'custom', message, params: { value } });
    }
  });
}

/**
 * A secret string (a password, a session token) with AWS constraints. Failures
 * never echo the value, as AWS words them for sensitive members:
 * `Value at 'password' failed to satisfy constraint: ...`.
 */
export function awsSensitiveString(rules: AwsStringRules = {}) {
  const whole = wholePattern(rules);
  return z.unknown().transform((value, ctx): string => {
    if (value === undefined || value === null) {
      ctx.addIssue({ code: 'custom', message: 'Member must not be null', params: { sensitive: true, missing: true } });
      return z.NEVER;
    }
    if (typeof value !== 'string') {
      ctx.addIssue({ code: 'custom', message: 'Member must be of type string', params: { sensitive: true } });
      return z.NEVER;
    }
    for (const message of stringProblems(value, rules, whole)) {
      ctx.addIssue({ code: 'custom', message, params: { sensitive: true } });
    }
    return value;
  });
}

/** An integer in a range with AWS-worded failures. */
export function awsInteger(min?: number, max?: number) {
  return z.number().superRefine((value, ctx) => {
    if (!Number.isSafeInteger(value)) {
      ctx.addIssue({ code: 'custom', message: 'Member must be of type integer', params: { withoutValue: true } });
      return;
    }
    if (min !== undefined && value < min) {
      ctx.addIssue({ code: 'custom', message: `Member must have value greater than or equal to ${min}`, params: { value } });
    }
    if (max !== undefined && value > max) {
      ctx.addIssue({ code: 'custom', message: `Member must have value less than or equal to ${max}`, params: { value } });
    }
  });
}

/** Items of a list as AWS prints them (`[a, b]`), when they are plain values; `undefined` otherwise. */
export function listValue(items: readonly unknown[]): string | undefined {
  return items.every((item) => item === null || typeof item !== 'object') ? `[${items.join(', ')}]` : undefined;
}

/** A list of `min` to `max` items with AWS-worded size failures (`Member must have length ...`). */
export function awsList<T extends z.ZodType>(item: T, min: number, max: number) {
  return z.array(item).superRefine((items, ctx) => {
    const shown = listValue(items);
    const params = shown === undefined ? { withoutValue: true } : { value: shown };
    if (items.length < min) {
      ctx.addIssue({ code: 'custom', message: `Member must have length greater than or equal to ${min}`, params });
    }
    if (items.length > max) {
      ctx.addIssue({ code: 'custom', message: `Member must have length less than or equal to ${max}`, params });
    }
  });
}

interface CustomParams {
  /** A secret: never shown. */
  sensitive?: boolean;
  /** A secret that was not given. */
  missing?: boolean;
  /** The value as shown, instead of the one at the issue's path. */
  value?: unknown;
  /** No value shown (a value of the wrong type, a list of structures). */
  withoutValue?: boolean;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const at = memberName(issue.path);
  const value = valueAt(input, issue.path);
  if (issue.code === 'custom') {
    const params = issue.params as CustomParams | undefined;
    if (params?.sensitive || params?.withoutValue) {
      return `Value${params.missing ? ' null' : ''} at '${at}' failed to satisfy constraint: ${issue.message}`;
    }
    const shown = params?.value ?? value;
    return `Value ${quote(shown)} at '${at}' failed to satisfy constraint: ${issue.message}`;
  }
  if (value === undefined || value === null) {
    return `Value null at '${at}' failed to satisfy constraint: Member must not be null`;
  }
  if (issue.code === 'invalid_type') {
    // As the gateway words it: a value of the wrong type is not shown.
    return `Value at '${at}' failed to satisfy constraint: Member must be of type ${awsTypeName(issue.expected)}`;
  }
  if (issue.code === 'invalid_value' && typeof value !== 'string' && issue.values.every((v) => typeof v === 'string')) {
    return `Value at '${at}' failed to satisfy constraint: Member must be of type string`;
  }
  if (issue.code === 'invalid_value') {
    const allowed = issue.values.map(String).join(', ');
    return `Value ${quote(value)} at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed}]`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `Unrecognized parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}${at ? ` at '${at}'` : ''}`;
  }
  return `Value ${quote(value)} at '${at}' failed to satisfy constraint: ${issue.message}`;
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Formats zod issues the way AWS words a ValidationError. */
export function validationMessage(error: z.ZodError, input: unknown): string {
  const lines = error.issues.map((issue) => describeIssue(issue, input));
  const count = lines.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${lines.join('; ')}`;
}

/** Parses `input` with `schema` or throws a `ValidationError` worded as AWS does. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new IamError('ValidationError', validationMessage(result.error, input));
}
