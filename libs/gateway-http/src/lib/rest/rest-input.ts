import { type Infer, memberPathName, QueryValidationError, type Shape, type StructureShape, validateShape } from '@iam/aws-protocol';
import { IamError } from '@iam/contracts';
import type { AnyOperation } from '../operations/operation';
import type { RequestInfo } from '../application/request-info';
import { Shapes } from '../operations/shapes';
import { GatewayErrors } from '../http/gateway-errors';

/** REST query parameters that stand for AWS pagination members. */
export const CURSOR_PARAMS: Readonly<Record<string, string>> = { cursor: 'Marker', limit: 'MaxItems' };

/** The error for a parameter the operation does not take, on either front. */
export function unrecognized(name: string, operation: AnyOperation): IamError {
  const top = name.split(/[.[]/)[0];
  if (operation.unsupported?.includes(top)) {
    return GatewayErrors.unsupportedParameter(top, operation.name);
  }
  return GatewayErrors.unrecognizedParameter(name, operation.name);
}

/** Parses a JSON body; an empty body is `{}`. */
export function parseJsonBody(request: RequestInfo): Record<string, unknown> {
  if (request.body.length === 0) return {};
  const mediaType = (request.contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw GatewayErrors.notJson(mediaType);
  }
  let value: unknown;
  try {
    value = JSON.parse(request.body.toString('utf8'));
  } catch (error) {
    throw GatewayErrors.badJson((error as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw GatewayErrors.bodyNotObject();
  }
  return value as Record<string, unknown>;
}

/** A query-string value as its member's type: integers and booleans parsed, lists split on commas. */
function fromText(shape: Shape, text: string, list: boolean): unknown {
  if (list) return text === '' ? [] : text.split(',');
  if (shape.type === 'integer') return /^-?\d{1,16}$/.test(text) ? Number(text) : text;
  if (shape.type === 'boolean') return /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : text;
  return text;
}

/** Whether a string member holds a policy document (AWS's `policyDocumentType`). */
function isPolicyDocument(shape: Shape): boolean {
  return shape.type === 'string' && shape.max === Shapes.policyDocument.max && shape.pattern === Shapes.policyDocument.pattern;
}

/**
 * Turns JSON values into the decoded form of their shape (maps as `Map`, timestamps as
 * `Date`). A policy document may be given as a JSON object: it is kept as its JSON text.
 */
function fromJson(shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.type) {
    case 'string':
      return isPolicyDocument(shape) && typeof value === 'object' ? JSON.stringify(value) : value;
    case 'timestamp': {
      if (typeof value !== 'string') return value;
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    case 'map':
      return typeof value === 'object' && !Array.isArray(value)
        ? new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromJson(shape.value, v)]))
        : value;
    case 'list':
      return Array.isArray(value) ? value.map((item) => fromJson(shape.member, item)) : value;
    case 'structure':
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape.members[k] ? fromJson(shape.members[k], v) : v]),
      );
    default:
      return value;
  }
}

function checkKnownMembers(shape: Shape, value: unknown, path: string, operation: AnyOperation): void {
  if (shape.type === 'structure' && typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map)) {
    for (const [name, item] of Object.entries(value)) {
      const member = shape.members[name];
      if (!member) throw unrecognized(path ? `${path}.${name}` : name, operation);
      checkKnownMembers(member, item, path ? `${path}.${name}` : name, operation);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, i) => checkKnownMembers(shape.member, item, `${path}[${i}]`, operation));
  }
}

/**
 * Builds and validates an operation's input from a REST request: path members, then query
 * parameters (`cursor`/`limit` for `Marker`/`MaxItems`, other members by their name in camel
 * or Pascal case), then the JSON body (members in Pascal case, as AWS names them). Unknown
 * parameters are refused; constraints are checked with the same shapes as the Query API.
 *
 * @throws IamError `ValidationError`
 */
export function restInput(
  operation: AnyOperation,
  params: Readonly<Record<string, string>>,
  request: RequestInfo,
): Infer<StructureShape> {
  const shape = operation.input;
  const value: Record<string, unknown> = {};
  const memberByQueryName = new Map<string, string>();
  for (const name of Object.keys(shape.members)) {
    memberByQueryName.set(name, name);
    memberByQueryName.set(memberPathName(name), name);
  }
  for (const [param, member] of Object.entries(CURSOR_PARAMS)) {
    if (shape.members[member]) memberByQueryName.set(param, member);
  }
  const listParams = operation.rest?.listParams ?? {};
  for (const [param, member] of Object.entries(listParams)) memberByQueryName.set(param, member);
  for (const [param, member] of Object.entries(operation.rest?.aliases ?? {})) memberByQueryName.set(param, member);

  // The names the caller used, so that an error speaks of `limit` or `resource`, not `maxItems`.
  const nameUsed = new Map<string, string>();
  for (const [name] of Object.entries(params)) {
    const template = operation.rest?.path ?? '';
    const inPath = new RegExp(`\\{(${name}|${memberPathName(name)})\\}`, 'i').exec(template)?.[1];
    if (inPath) nameUsed.set(memberPathName(name), inPath);
  }
  const query = new URLSearchParams(request.rawQuery);
  for (const param of new Set(query.keys())) {
    const all = query.getAll(param);
    if (all.length > 1) throw GatewayErrors.repeatedQueryParameter(param);
    const member = memberByQueryName.get(param);
    if (!member || member in params) throw unrecognized(param, operation);
    value[member] = fromText(shape.members[member], all[0], param in listParams || shape.members[member].type === 'list');
    nameUsed.set(memberPathName(member), param);
  }

  const from = operation.rest?.from ?? (['GET', 'DELETE'].includes(operation.rest?.method ?? 'GET') ? 'query' : 'body');
  if (from === 'body') {
    const body = parseJsonBody(request);
    for (const [name, item] of Object.entries(body)) {
      if (name in params || name in value) throw unrecognized(name, operation);
      value[name] = item;
    }
  } else if (request.body.length > 0) {
    throw GatewayErrors.unexpectedBody(request.method, operation.rest?.path ?? '');
  }
  Object.assign(value, params);

  checkKnownMembers(shape, value, '', operation);
  const decoded = fromJson(shape, value);
  const issues = validateShape(shape, decoded);
  if (issues.length > 0) {
    const spoken = issues.map((issue) => {
      const [top, ...rest] = issue.path.split('.');
      const used = nameUsed.get(top);
      return used ? { ...issue, path: [used, ...rest].join('.') } : issue;
    });
    throw GatewayErrors.validation(new QueryValidationError(spoken).message);
  }
  return decoded as Infer<StructureShape>;
}
