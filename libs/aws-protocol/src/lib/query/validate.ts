import { AwsProtocolError } from '../errors';
import type { Shape, StringShape } from './shapes';

/** One broken constraint, rendered the AWS way by {@link formatValidationIssue}. */
export interface ValidationIssue {
  /** The member path AWS reports: `userName`, `tags.1.member.key`. */
  readonly path: string;
  /** The offending value as AWS prints it; `null` for a missing value, `undefined` to omit it. */
  readonly value: string | null | undefined;
  /** The broken constraint, e.g. `Member must have length less than or equal to 64`. */
  readonly constraint: string;
}

/** `Value 'a b' at 'userName' failed to satisfy constraint: Member must ...` */
export function formatValidationIssue(issue: ValidationIssue): string {
  const value = issue.value === null ? 'Value null' : issue.value === undefined ? 'Value' : `Value '${issue.value}'`;
  return `${value} at '${issue.path}' failed to satisfy constraint: ${issue.constraint}`;
}

/**
 * AWS's message for one or more broken constraints:
 * `1 validation error detected: ...` or `2 validation errors detected: ...; ...`.
 */
export function formatValidationMessage(issues: readonly ValidationIssue[]): string {
  const count = issues.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${issues.map(formatValidationIssue).join('; ')}`;
}

/** A `ValidationError` carrying the issues, with AWS's message. */
export class QueryValidationError extends AwsProtocolError {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super('ValidationError', formatValidationMessage(issues));
    this.name = 'QueryValidationError';
    this.issues = issues;
  }
}

/** The path segment AWS uses for a member: its wire name with a lower-case first letter. */
export function memberPathName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Joins a parent path and a segment with a dot (no dot at the root). */
export function joinPath(parent: string, segment: string): string {
  return parent === '' ? segment : `${parent}.${segment}`;
}

const patternCache = new Map<string, RegExp>();

function compilePattern(pattern: string): RegExp {
  let regex = patternCache.get(pattern);
  if (!regex) {
    // AWS (Java) patterns must match the whole value.
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    patternCache.set(pattern, regex);
  }
  return regex;
}

function renderValue(shape: Shape, value: unknown): string | undefined {
  if (shape.type === 'string') return shape.sensitive ? undefined : (value as string);
  if (shape.type === 'integer' || shape.type === 'boolean') return String(value);
  if (shape.type === 'timestamp') return (value as Date).toISOString();
  if (shape.type === 'list' && Array.isArray(value) && value.every((v) => typeof v !== 'object')) {
    if (shape.member.type === 'string' && shape.member.sensitive) return undefined;
    return `[${value.join(', ')}]`;
  }
  return undefined;
}

function checkString(shape: StringShape, value: string, push: (constraint: string) => void): void {
  if (shape.min !== undefined && value.length < shape.min) {
    push(`Member must have length greater than or equal to ${shape.min}`);
  }
  if (shape.max !== undefined && value.length > shape.max) {
    push(`Member must have length less than or equal to ${shape.max}`);
  }
  if (shape.pattern !== undefined && !compilePattern(shape.pattern).test(value)) {
    push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  }
  if (shape.stored && value.includes('\u0000')) {
    push('Member must not contain the NUL character (U+0000)');
  }
  if (shape.enum !== undefined && !shape.enum.includes(value)) {
    push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  }
}

/**
 * Checks the constraints of one value against its own shape (not its children): lengths,
 * pattern, enum, value range, and list/map sizes. Appends any issue to `issues`.
 */
export function checkConstraints(shape: Shape, value: unknown, path: string, issues: ValidationIssue[]): void {
  const push = (constraint: string) => issues.push({ path, value: renderValue(shape, value), constraint });
  switch (shape.type) {
    case 'string':
      checkString(shape, value as string, push);
      return;
    case 'integer': {
      const n = value as number;
      if (shape.min !== undefined && n < shape.min) push(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) push(`Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'list':
    case 'map': {
      const size = shape.type === 'list' ? (value as unknown[]).length : (value as Map<string, unknown>).size;
      if (shape.min !== undefined && size < shape.min) push(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && size > shape.max) push(`Member must have length less than or equal to ${shape.max}`);
      return;
    }
    default:
      return;
  }
}

function typeMatches(shape: Shape, value: unknown): boolean {
  switch (shape.type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'timestamp':
      return value instanceof Date && !Number.isNaN(value.getTime());
    case 'list':
      return Array.isArray(value);
    case 'map':
      return value instanceof Map;
    case 'structure':
      return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
  }
}

function validateInto(shape: Shape, value: unknown, path: string, issues: ValidationIssue[]): void {
  if (value === null) {
    // A JSON null (a list member, or a member given as null) is not a value: the services refuse it too.
    issues.push({ path, value: null, constraint: 'Member must not be null' });
    return;
  }
  if (!typeMatches(shape, value)) {
    issues.push({ path, value: undefined, constraint: `Member must be of type ${shape.type}` });
    return;
  }
  checkConstraints(shape, value, path, issues);
  if (shape.type === 'list') {
    (value as unknown[]).forEach((item, i) => validateInto(shape.member, item, `${path}.${i + 1}.member`, issues));
  } else if (shape.type === 'map') {
    let i = 0;
    for (const [key, item] of value as Map<string, unknown>) {
      i += 1;
      validateInto(shape.key, key, `${path}.${i}.key`, issues);
      validateInto(shape.value, item, `${path}.${i}.value`, issues);
    }
  } else if (shape.type === 'structure') {
    const record = value as Record<string, unknown>;
    for (const [name, member] of Object.entries(shape.members)) {
      const memberPath = joinPath(path, memberPathName(name));
      const item = Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
      if (item === undefined) {
        if (member.required) issues.push({ path: memberPath, value: null, constraint: 'Member must not be null' });
      } else {
        validateInto(member, item, memberPath, issues);
      }
    }
  }
}

/**
 * Validates a JS value (for instance a REST JSON body already parsed) against a shape and its
 * constraints, returning the issues in AWS's form (empty when valid). Use
 * {@link QueryValidationError} to raise them.
 */
export function validateShape(shape: Shape, value: unknown, path = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  validateInto(shape, value, path, issues);
  return issues;
}
