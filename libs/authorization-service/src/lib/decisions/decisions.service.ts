import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthorizeReply, AuthorizeRequest, DecisionStatement, IamError } from '@iam/contracts';
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
    try {
      if (request.Principal.Type === 'root') return this.root(request.Resource);
      const userId = request.Principal.UserId;
      const groups = await this.principals.groupsOfUser(userId);
      const set = await this.policySets.load([
        { type: 'user', id: userId },
        ...groups.map((group) => ({ type: 'group' as const, id: group.GroupId, name: group.GroupName })),
      ]);
      const context = createRequestContext(request.Context ?? {});
      const { decision, statements } = evaluatePolicies(set.applied, { action: request.Action, resource: request.Resource, context }, set.compiled);
      if (decision.error) throw new Error(decision.error.message);
      return {
        Decision: decision.decision,
        MatchedStatements: statements.map(({ statement, origin }) => decisionStatement(origin, statement)),
        MissingContextKeys: [...decision.missingContextKeys],
      };
    } catch (error) {
      const who = request.Principal.Type === 'root' ? 'root' : `user ${request.Principal.UserId}`;
      // A decision that could not be made because a store is down is a 503 for the caller to retry (never an allow), not a deny.
      const unavailable = error instanceof IamError && error.code === 'ServiceUnavailable' ? error : isDatabaseUnavailable(error) ? databaseUnavailable('authorization') : undefined;
      if (unavailable) {
        this.logger.warn(`Could not decide ${request.Action} on ${request.Resource} for ${who}: ${reasonOf(error)}; answered ServiceUnavailable`);
        throw unavailable;
      }
      const reason = reasonOf(error);
      this.logger.warn(`Denied ${request.Action} on ${request.Resource} to ${who} because the decision failed: ${reason}`);
      return { Decision: 'implicitDeny', MatchedStatements: [], MissingContextKeys: [], Error: reason };
    }
  }

  /** The root principal may do everything in its account (and read what AWS publishes). */
  private root(resource: string): AuthorizeReply {
    const parts = resource.split(':');
    const account = parts[0] === 'arn' && parts.length >= 6 ? parts[4] : undefined;
    const inAccount = resource === '*' || account === '' || account === this.options.accountId || account === AWS_ACCOUNT;
    return { Decision: inAccount ? 'allowed' : 'implicitDeny', MatchedStatements: [], MissingContextKeys: [] };
  }
}
