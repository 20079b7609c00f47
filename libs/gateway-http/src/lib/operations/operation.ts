import type { Infer, Shape, StructureShape, XmlStructure } from '@iam/aws-protocol';
import type { AuthorizeReply, AuthorizeRequest, BusClient, GroupRef, ResolvedUser } from '@iam/contracts';
import type { Caller } from '../application/caller';
import type { RequestInfo } from '../application/request-info';
import type { CheckDecision } from '../auth/authorizer';
import type { GatewayOptions } from '../gateway.options';

/** A value in the request context of an authorization check. */
export type ContextValue = string | boolean | number | readonly string[];

/** One permission an operation needs: the IAM action on one resource, with its own context keys. */
export interface Check {
  /** `iam:CreateUser`. */
  action: string;
  /** The resource ARN, or `*` for actions without a resource type. */
  resource: string;
  /** Keys the action adds to the request context (`aws:RequestTag/...`, `iam:PolicyARN`). */
  context?: Readonly<Record<string, ContextValue>>;
}

/** What an operation sees while it runs: who calls, the request, the bus. */
export interface OperationContext {
  readonly caller: Caller;
  readonly request: RequestInfo;
  readonly bus: BusClient;
  readonly accountId: string;
  readonly now: Date;
  /** The gateway's options. */
  readonly options: GatewayOptions;
  /**
   * Checks more permissions while the operation runs, as `checks` does before it: for an
   * operation whose resource is known only from a read (GetAccessKeyLastUsed) and for views
   * that combine several reads.
   */
  authorize(checks: readonly Check[]): Promise<void>;
  /** The caller's decision on each check on its own, in order, without refusing anything. */
  decide(checks: readonly Check[]): Promise<CheckDecision[]>;
  /**
   * The decision on any principal's request (a user's named `userName`), as the authorization
   * service's `Authorize` makes it (the `Authorize` operation).
   */
  evaluate(request: AuthorizeRequest, userName?: string): Promise<AuthorizeReply>;
  /** Identity's `ResolveUser` by name (from the data plane's cache when there is one). */
  resolveUser(name: string): Promise<ResolvedUser>;
  /** Directory's `ResolveGroup` by name (from the data plane's cache when there is one). */
  resolveGroup(name: string): Promise<GroupRef>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How an operation appears in the REST front. `path` names input members in braces
 * (`/v1/users/{UserName}`); query parameters and the JSON body fill the other members
 * (`cursor` and `limit` are `Marker` and `MaxItems`).
 */
export interface RestBinding {
  method: HttpMethod;
  path: string;
  /** 200 unless given (201 for creations, 204 for deletions). */
  status?: number;
  /** Where members not in the path come from: the JSON body or the query string. */
  from?: 'body' | 'query';
  /** Query parameter names that carry lists, comma-separated (`?keys=a,b`), and the member each fills. */
  listParams?: Readonly<Record<string, string>>;
  /** Other query parameter names and the member each fills (`?action=` for `ActionName`). */
  aliases?: Readonly<Record<string, string>>;
}

/** Who may call: `none` only for signing in. */
export type Authentication = 'required' | 'none';

/**
 * One operation of the gateway, the single source for both fronts and the OpenAPI document:
 * its input shape (validated before anything else), the permissions it needs (checked by the
 * authorization service before the owning service is called), the application-layer call,
 * and how it is written in XML and exposed in REST.
 */
export interface Operation<S extends StructureShape = StructureShape, R = unknown> {
  /** The AWS action name (`CreateUser`), or our own name for REST-only operations. */
  readonly name: string;
  /** Served by the AWS Query API at `POST /` (AWS actions only). */
  readonly query: boolean;
  /**
   * `sts`: an AWS STS action, served by the Query API for `Version=2011-06-15` and signed for
   * service `sts`; IAM actions otherwise.
   */
  readonly api?: 'sts';
  /** Served for AWS tools only (always-empty lists of credentials this server has not): no REST route. */
  readonly compatibilityOnly?: boolean;
  readonly summary: string;
  /** The group the operation is listed under in the OpenAPI document. */
  readonly tag: string;
  readonly input: S;
  /** The reply's shape, for the OpenAPI document. */
  readonly output?: Shape;
  /** List operations: REST adds `nextCursor`. */
  readonly paginated?: boolean;
  readonly authentication?: Authentication;
  /** Members of the AWS model this server does not support: refused with a clear message. */
  readonly unsupported?: readonly string[];
  /**
   * Unauthenticated operations that check a password (signing in): the user name the attempt is
   * rate-limited under (`SignInLimiter`), besides its source address.
   */
  signInName?(input: Infer<S>): string;
  /** May be called by a session whose password must be reset first. */
  readonly allowedWhilePasswordResetRequired?: boolean;
  /**
   * The permissions to check, all of which must be allowed. Empty: any authenticated caller
   * (only for operations on the caller's own session).
   */
  checks(input: Infer<S>, context: OperationContext): Promise<Check[]> | Check[];
  call(input: Infer<S>, context: OperationContext): Promise<R>;
  /** The Query API result element; the reply as is unless given; `undefined` writes none. */
  toXml?(result: R): XmlStructure | undefined;
  /** The REST reply body; the reply as is unless given. */
  toJson?(result: R): unknown;
  readonly rest?: RestBinding;
}

/** An operation with its types erased, as kept in the table. */
export type AnyOperation = Operation<StructureShape, unknown>;

/** Declares an operation with its input type inferred from its shape. */
export function defineOperation<const S extends StructureShape, R>(operation: Operation<S, R>): AnyOperation {
  return operation as unknown as AnyOperation;
}

/** A structure shape, keeping literal types (for `defineOperation`). */
export function input<const M extends Readonly<Record<string, Shape>>>(members: M): { type: 'structure'; members: M } {
  return { type: 'structure', members };
}

/** `{ ...shape, required: true }`. */
export function required<const S extends Shape>(shape: S): S & { required: true } {
  return { ...shape, required: true };
}
