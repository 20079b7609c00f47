import type { AnyOperation, HttpMethod } from '../operations/operation';
import { GatewayErrors } from '../http/gateway-errors';

type Segment = { literal: string } | { member: string };

interface Route {
  readonly method: HttpMethod;
  readonly template: string;
  readonly segments: readonly Segment[];
  readonly operation: AnyOperation;
}

export interface RouteMatch {
  readonly operation: AnyOperation;
  /** Path members, percent-decoded (`{PolicyArn}` may hold an encoded ARN with `/`). */
  readonly params: Readonly<Record<string, string>>;
}

function parseTemplate(template: string): Segment[] {
  return template
    .split('/')
    .filter(Boolean)
    .map((part) => {
      const member = /^\{([A-Za-z][A-Za-z0-9]*)\}$/.exec(part);
      return member ? { member: member[1] } : { literal: part };
    });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw GatewayErrors.badPathSegment(segment);
  }
}

/**
 * Routes REST requests to operations by method and path template. A literal segment wins over
 * a member at the same position (`/v1/users/{UserName}/groups` before `/v1/users/{UserName}/{x}`),
 * so the table's order does not matter. Members are matched on the raw segment and decoded
 * after, so an encoded `/` (`%2F`) stays inside its segment.
 */
export class RestRouter {
  private readonly routes: Route[] = [];

  constructor(operations: Iterable<AnyOperation>) {
    for (const operation of operations) {
      if (!operation.rest) continue;
      const { method, path } = operation.rest;
      const segments = parseTemplate(path);
      const clash = this.routes.find((r) => r.method === method && sameShape(r.segments, segments));
      if (clash) throw new Error(`REST route ${method} ${path} of ${operation.name} clashes with ${clash.operation.name}.`);
      this.routes.push({ method, template: path, segments, operation });
    }
    this.routes.sort((a, b) => compareSpecificity(a.segments, b.segments));
  }

  /** Every route, for the OpenAPI document. */
  list(): ReadonlyArray<{ method: HttpMethod; template: string; operation: AnyOperation }> {
    return this.routes;
  }

  /**
   * The operation for `method` and the raw `path`.
   * @throws IamError `NotFound` when no route has this path, `InvalidAction` when the path
   * exists with other methods.
   */
  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').filter(Boolean);
    let pathExists = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathExists = true;
      if (route.method !== method) continue;
      const decoded: Record<string, string> = {};
      for (const [name, raw] of Object.entries(params)) decoded[name] = decodeSegment(raw);
      return { operation: route.operation, params: decoded };
    }
    if (pathExists) {
      const allowed = this.routes.filter((r) => matchSegments(r.segments, parts)).map((r) => r.method);
      throw GatewayErrors.methodNotAllowed(method, path, allowed);
    }
    throw GatewayErrors.noRoute(method, path);
  }
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if ('literal' in segment) {
      if (segment.literal !== parts[i]) return undefined;
    } else {
      params[segment.member] = parts[i];
    }
  }
  return params;
}

function sameShape(a: readonly Segment[], b: readonly Segment[]): boolean {
  return a.length === b.length && a.every((s, i) => ('literal' in s ? 'literal' in b[i] && s.literal === (b[i] as { literal: string }).literal : 'member' in b[i]));
}

function compareSpecificity(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const la = 'literal' in a[i];
    const lb = 'literal' in b[i];
    if (la !== lb) return la ? -1 : 1;
  }
  return 0;
}
