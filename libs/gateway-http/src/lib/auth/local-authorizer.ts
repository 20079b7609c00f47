import { Inject, Injectable } from '@nestjs/common';
import { BusClient, decisionStatement, type AuthorizeReply, type AuthorizeRequest, type DecisionStatement, type RequestContextValues } from '@iam/contracts';
import { createRequestContext, evaluate } from '@iam/policy-engine';
import type { Caller } from '../application/caller';
import type { RequestInfo } from '../application/request-info';
import { DataPlane, type LocalPolicySet } from '../data-plane/data-plane';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.options';
import type { Check } from '../operations/operation';
import { BusAuthorizer } from './bus-authorizer';

/**
 * Decides in process: the caller's policy set comes from the data plane (one `GetPolicySet`
 * request on a miss, then kept coherent), and each check is evaluated with the policy engine
 * exactly as the authorization service's `Authorize` evaluates it. Fails closed as
 * {@link BusAuthorizer} does: an evaluation that fails is a deny with its reason logged.
 */
@Injectable()
export class LocalAuthorizer extends BusAuthorizer {
  constructor(
    bus: BusClient,
    @Inject(GATEWAY_OPTIONS) options: GatewayOptions,
    private readonly dataPlane: DataPlane,
  ) {
    super(bus, options);
  }

  override async evaluate(request: AuthorizeRequest, userName?: string): Promise<AuthorizeReply> {
    // Root is allowed what is in its account: the authorization service's rule, asked there.
    if (request.Principal.Type === 'root' || userName === undefined) return super.evaluate(request);
    const set = await this.dataPlane.policySet(request.Principal.UserId, userName);
    return decideLocally(set, request.Action, request.Resource, request.Context ?? {});
  }

  protected override async decideChecks(caller: Extract<Caller, { type: 'user' }>, checks: readonly Check[], base: RequestContextValues, _request: RequestInfo) {
    const set = await this.dataPlane.policySet(caller.userId, caller.userName);
    return checks.map((check) => decideLocally(set, check.action, check.resource, { ...base, ...this.contextOf(check, base) }));
  }
}

/** One decision on a policy set, in the shape of the authorization service's `Authorize` reply. */
export function decideLocally(set: LocalPolicySet, action: string, resource: string, context: RequestContextValues): AuthorizeReply {
  try {
    const decision = evaluate(set.compiled, { action, resource, context: createRequestContext(context) });
    if (decision.error) throw new Error(decision.error.message);
    const statements: DecisionStatement[] = [];
    for (const statement of decision.matchedStatements) {
      const index = set.compiled.findIndex((policy) => policy.statements[statement.statementIndex] === statement);
      if (index < 0) continue;
      statements.push(decisionStatement(set.entries[index], statement));
    }
    return { Decision: decision.decision, MatchedStatements: statements, MissingContextKeys: [...decision.missingContextKeys] };
  } catch (error) {
    return { Decision: 'implicitDeny', MatchedStatements: [], MissingContextKeys: [], Error: `evaluation failed: ${(error as Error).message}` };
  }
}
