import type { Caller } from '../application/caller';
import type { RequestInfo } from '../application/request-info';
import type { Check } from '../operations/operation';

/**
 * Decides whether `caller` may make every check of an operation; resolves when all are
 * allowed, rejects with `AccessDenied` (AWS's message) otherwise. Root is not subject to
 * policies. Fails closed: no answer is never an allow.
 */
export abstract class Authorizer {
  abstract authorize(caller: Caller, checks: readonly Check[], request: RequestInfo, now: Date): Promise<void>;
}

/** AWS's AccessDenied message for an implicit or explicit deny of an identity-based policy. */
export function accessDeniedMessage(caller: Caller, check: Check, explicit: boolean): string {
  const who = `User: ${caller.arn} is not authorized to perform: ${check.action} on resource: ${check.resource}`;
  return explicit
    ? `${who} with an explicit deny in an identity-based policy`
    : `${who} because no identity-based policy allows the ${check.action} action`;
}
