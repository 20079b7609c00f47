import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthorizeBatchRequest, AuthorizeReply, AuthorizeRequest, DecisionStatement, IamError } from '@iam/contracts';
import { databaseUnavailable, isDatabaseUnavailable } from '@iam/platform';
import { createRequestContext } from '@iam/policy-engine';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions } from '../authorization.options';
import { Principals } from '../neighbours/principals';
import { AWS_ACCOUNT } from '../policies/aws-managed-policies';
import { evaluatePolicies } from './evaluation';
import { AppliedPolicy, PolicySets } from './policy-sets';

/** Why a request was denied by a failure, in one line safe to return to the gateway. */
function reasonOf(error: unknown): string {
  if (error instanceof IamError) return `${error.code}: ${error.message}`;
  return `evaluation failed: ${error instanceof Error ? error.message : String(error)}`;
}

export function decisionStatement(policy: AppliedPolicy, statement: { sid?: string; statementIndex: number; effect: 'Allow' | 'Deny' }): DecisionStatement {
  const out: DecisionStatement = {
    PolicyId: policy.policyId,
    PolicyName: policy.name,
    PolicyType: policy.type,
    StatementIndex: statement.statementIndex,
    Effect: statement.effect,
    AttachedTo: policy.attachedTo,
  };
  if (policy.arn !== undefined) out.PolicyArn = policy.arn;
  if (policy.versionId !== undefined) out.VersionId = policy.versionId;
  if (statement.sid !== undefined) out.Sid = statement.sid;
  return out;
}

/**
 * The decision for every request the gateway serves. Reads the principal's
 * groups (directory) and policies (database) afresh each time, evaluates
 * compiled policies, and fails closed: any error is a deny with its reason.
 */
@Injectable()
export class DecisionsService {
  private readonly logger = new Logger(DecisionsService.name);

  constructor(
    private readonly principals: Principals,
    private readonly policySets: PolicySets,
    @Inject(AUTHORIZATION_OPTIONS) private readonly options: AuthorizationServiceOptions,
  ) {}

  async authorize(request: AuthorizeRequest): Promise<AuthorizeReply> {
    const { Results } = await this.authorizeBatch({
      Principal: request.Principal,
      Checks: [{ Action: request.Action, Resource: request.Resource, ...(request.Context ? { Context: request.Context } : {}) }],
    });
    return Results[0];
  }

  /**
   * Each check decided as `authorize` would, against one read of the principal's groups and
   * policies. A failure to read them denies every check; a failure evaluating one denies that one.
   */
  async authorizeBatch(request: AuthorizeBatchRequest): Promise<{ Results: AuthorizeReply[] }> {
    const who = request.Principal.Type === 'root' ? 'root' : `user ${request.Principal.UserId}`;
    const failed = (check: { Action: string; Resource: string }, error: unknown): AuthorizeReply => {
      const reason = reasonOf(error);
      this.logger.warn(`Denied ${check.Action} on ${check.Resource} to ${who} because the decision failed: ${reason}`);
      return { Decision: 'implicitDeny', MatchedStatements: [], MissingContextKeys: [], Error: reason };
    };
    if (request.Principal.Type === 'root') return { Results: request.Checks.map((check) => this.root(check.Resource)) };
    let set: Awaited<ReturnType<PolicySets['load']>>;
    try {
      const userId = request.Principal.UserId;
      const groups = await this.principals.groupsOfUser(userId);
      set = await this.policySets.load([
        { type: 'user', id: userId },
        ...groups.map((group) => ({ type: 'group' as const, id: group.GroupId, name: group.GroupName })),
      ]);
    } catch (error) {
      // A decision that could not be made because a store is down is a 503 for the caller to retry (never an allow), not a deny.
      const unavailable = error instanceof IamError && error.code === 'ServiceUnavailable' ? error : isDatabaseUnavailable(error) ? databaseUnavailable('authorization') : undefined;
      if (unavailable) {
        const checks = request.Checks.map((check) => `${check.Action} on ${check.Resource}`).join(', ');
        this.logger.warn(`Could not decide ${checks} for ${who}: ${reasonOf(error)}; answered ServiceUnavailable`);
        throw unavailable;
      }
      return { Results: request.Checks.map((check) => failed(check, error)) };
    }
    return {
      Results: request.Checks.map((check): AuthorizeReply => {
        try {
          const context = createRequestContext({ ...(request.Context ?? {}), ...(check.Context ?? {}) });
          const { decision, statements } = evaluatePolicies(set.applied, { action: check.Action, resource: check.Resource, context }, set.compiled);
          if (decision.error) throw new Error(decision.error.message);
          return {
            Decision: decision.decision,
            MatchedStatements: statements.map(({ statement, origin }) => decisionStatement(origin, statement)),
            MissingContextKeys: [...decision.missingContextKeys],
          };
        } catch (error) {
          return failed(check, error);
        }
      }),
    };
  }

  /** The root principal may do everything in its account (and read what AWS publishes). */
  private root(resource: string): AuthorizeReply {
    const parts = resource.split(':');
    const account = parts[0] === 'arn' && parts.length >= 6 ? parts[4] : undefined;
    const inAccount = resource === '*' || account === '' || account === this.options.accountId || account === AWS_ACCOUNT;
    return { Decision: inAccount ? 'allowed' : 'implicitDeny', MatchedStatements: [], MissingContextKeys: [] };
  }
}
