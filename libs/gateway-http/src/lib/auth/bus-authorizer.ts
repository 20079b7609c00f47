import { authorizationDecisions } from '@iam/platform';
import { Inject, Injectable } from '@nestjs/common';
import { AUTHORIZE_BATCH_MAX_CHECKS, AuthorizationPatterns, BusClient, IamError, type AuthorizeReply, type AuthorizeRequest, type RequestContextValues } from '@iam/contracts';
import type { Caller, UserCaller } from '../application/caller';
import { globalContext } from '../application/request-context';
import type { RequestInfo } from '../application/request-info';
import type { Check, ContextValue } from '../operations/operation';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.options';
import { accessDeniedMessage, Authorizer, type CheckDecision } from './authorizer';
import { GatewayErrors } from '../http/gateway-errors';

/** Context values as the decision pattern takes them: strings, or arrays of strings. */
export function toContextValues(context: Readonly<Record<string, ContextValue>>): RequestContextValues {
  const values: RequestContextValues = {};
  for (const [key, value] of Object.entries(context)) {
    values[key] = Array.isArray(value) ? [...value] : String(value);
  }
  return values;
}

/**
 * Asks the authorization service for every check of an operation (`Authorize` for one,
 * `AuthorizeBatch` for several: one bus request), with the request's global condition keys and
 * the check's own. Root is not subject
 * to policies. Fails closed: a decision with an error, an unexpected reply or a failed call is
 * never an allow (the service unreachable gives `ServiceUnavailable`, anything else
 * `AccessDenied`).
 */
@Injectable()
export class BusAuthorizer extends Authorizer {
  constructor(
    protected readonly bus: BusClient,
    @Inject(GATEWAY_OPTIONS) protected readonly options: GatewayOptions,
  ) {
    super();
  }

  protected get logger() {
    return this.options.logger;
  }

  async authorize(caller: Caller, checks: readonly Check[], request: RequestInfo, now: Date): Promise<void> {
    if (caller.type === 'root' || checks.length === 0) return;
    const decisions = await this.ask(caller, checks, request, now);
    for (const { check, reply } of decisions) {
      if (!isAllowed(reply)) {
        throw GatewayErrors.accessDenied(accessDeniedMessage(caller, check, reply?.Decision === 'explicitDeny'));
      }
    }
  }

  override async decide(caller: Caller, checks: readonly Check[], request: RequestInfo, now: Date): Promise<CheckDecision[]> {
    if (caller.type === 'root') return checks.map(() => ({ decision: 'allowed', missingContextKeys: [] }));
    const decisions = await this.ask(caller, checks, request, now);
    return decisions.map(({ reply }) => ({
      decision: isAllowed(reply) ? 'allowed' : reply?.Decision === 'explicitDeny' ? 'explicitDeny' : 'implicitDeny',
      missingContextKeys: reply && !reply.Error ? reply.MissingContextKeys : [],
    }));
  }

  /**
   * The decision of the authorization service for `request` (any principal), as its
   * `Authorize` answers it; for the `Authorize` operation.
   */
  override evaluate(request: AuthorizeRequest, _userName?: string): Promise<AuthorizeReply> {
    return this.bus.send(AuthorizationPatterns.Authorize, request);
  }

  /** Every check's decision, `undefined` for a failed one (a deny), with the failures logged and counted. */
  private async ask(caller: UserCaller, checks: readonly Check[], request: RequestInfo, now: Date) {
    const base = toContextValues(globalContext(caller, request, now));
    const replies = await this.decideChecks(caller, checks, base, request).catch((error: unknown) => {
      this.failed(error, request, checks);
      return [];
    });
    return checks.map((check, n) => {
      const reply = replies[n];
      if (reply?.Error) this.logger?.warn({ requestId: request.requestId, action: check.action, error: reply.Error }, 'decision failed; denying');
      authorizationDecisions.inc({ result: !reply || reply.Error ? 'error' : reply.Decision });
      return { check, reply };
    });
  }

  /** A failure to decide: `ServiceUnavailable` is the caller's to retry, anything else a logged deny. */
  protected failed(error: unknown, request: RequestInfo, checks: readonly Check[]): undefined {
    if (error instanceof IamError && error.code === 'ServiceUnavailable') throw error;
    this.logger?.warn({ requestId: request.requestId, action: checks.map((check) => check.action).join(','), err: error }, 'authorization failed; denying');
    return undefined;
  }

  /**
   * A check's own condition keys, as the decision takes them, without those the request already
   * has (`base`, in any letter case): the request's global keys are the gateway's, never a check's.
   */
  protected contextOf(check: Check, base: RequestContextValues): RequestContextValues {
    const global = new Set(Object.keys(base).map((key) => key.toLowerCase()));
    return Object.fromEntries(Object.entries(toContextValues(check.context ?? {})).filter(([key]) => !global.has(key.toLowerCase())));
  }

  /**
   * The decisions on `checks` in order (`undefined` for one that failed): one `Authorize`
   * request for a single check, one `AuthorizeBatch` request per
   * {@link AUTHORIZE_BATCH_MAX_CHECKS} checks otherwise (one read of the caller's policies for
   * all of them).
   */
  protected async decideChecks(caller: UserCaller, checks: readonly Check[], base: RequestContextValues, request: RequestInfo): Promise<Array<AuthorizeReply | undefined>> {
    const principal = { Type: 'user' as const, UserId: caller.userId };
    if (checks.length === 1) {
      const [check] = checks;
      const reply = await this.evaluate({ Principal: principal, Action: check.action, Resource: check.resource, Context: { ...base, ...this.contextOf(check, base) } }).catch(
        (error: unknown) => this.failed(error, request, checks),
      );
      return [reply];
    }
    const chunks: Check[][] = [];
    for (let i = 0; i < checks.length; i += AUTHORIZE_BATCH_MAX_CHECKS) chunks.push(checks.slice(i, i + AUTHORIZE_BATCH_MAX_CHECKS));
    const answered = await Promise.all(
      chunks.map(async (chunk) => {
        const reply = await this.bus
          .send(AuthorizationPatterns.AuthorizeBatch, {
            Principal: principal,
            Context: base,
            Checks: chunk.map((check) => ({ Action: check.action, Resource: check.resource, ...(check.context ? { Context: this.contextOf(check, base) } : {}) })),
          })
          .catch((error: unknown) => this.failed(error, request, chunk));
        const results = reply && Array.isArray(reply.Results) && reply.Results.length === chunk.length ? reply.Results : undefined;
        return chunk.map((_check, n) => results?.[n]);
      }),
    );
    return answered.flat();
  }
}

function isAllowed(reply: AuthorizeReply | undefined): boolean {
  return reply !== undefined && reply.Decision === 'allowed' && !reply.Error;
}
