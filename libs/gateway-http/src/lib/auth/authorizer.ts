import { IamError, type AuthorizeReply, type AuthorizeRequest, type DecisionKind } from '@iam/contracts';
import type { Caller } from '../application/caller';
import type { RequestInfo } from '../application/request-info';
import type { Check } from '../operations/operation';

/** The decision on one check, for a caller asking what it may do. */
export interface CheckDecision {
  readonly decision: DecisionKind;
  /** Context keys the applicable statements reference that the check did not give. */
  readonly missingContextKeys: readonly string[];
}

/**
 * Decides whether `caller` may make every check of an operation; resolves when all are
 * allowed, rejects with `AccessDenied` (AWS's message) otherwise. Root is not subject to
 * policies. Fails closed: no answer is never an allow.
 */
export abstract class Authorizer {
  abstract authorize(caller: Caller, checks: readonly Check[], request: RequestInfo, now: Date): Promise<void>;

  /**
   * The decision on any principal's request (a user's named `userName`), when this authorizer
   * makes it itself (else the authorization service is asked).
   */
  evaluate?(request: AuthorizeRequest, userName?: string): Promise<AuthorizeReply>;

  /**
   * The decision on each check on its own, in order, as `authorize` would make it (root: all
   * allowed). Fails closed as `authorize` does: a decision that could not be made is a deny;
   * `ServiceUnavailable` when no decision could be asked for.
   */
  async decide(caller: Caller, checks: readonly Check[], request: RequestInfo, now: Date): Promise<CheckDecision[]> {
    return Promise.all(
      checks.map(async (check): Promise<CheckDecision> => {
        try {
          await this.authorize(caller, [check], request, now);
          return { decision: 'allowed', missingContextKeys: [] };
        } catch (error) {
          if (error instanceof IamError && error.code === 'AccessDenied') return { decision: 'implicitDeny', missingContextKeys: [] };
          throw error;
        }
      }),
    );
  }
}

/** AWS's AccessDenied message for an implicit or explicit deny of an identity-based policy. */
export function accessDeniedMessage(caller: Caller, check: Check, explicit: boolean): string {
  const who = `User: ${caller.arn} is not authorized to perform: ${check.action} on resource: ${check.resource}`;
  return explicit
    ? `${who} with an explicit deny in an identity-based policy`
    : `${who} because no identity-based policy allows the ${check.action} action`;
}
