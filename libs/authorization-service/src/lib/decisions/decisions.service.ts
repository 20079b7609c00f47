import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthorizeBatchRequest, AuthorizeReply, AuthorizeRequest, decisionStatement, GetPolicySetReply, GetPolicySetRequest, GroupRef, IamError, PolicySetEntry } from '@iam/contracts';
import { databaseUnavailable, isDatabaseUnavailable } from '@iam/platform';
import { createRequestContext } from '@iam/policy-engine';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions } from '../authorization.options';
import { DirectoryGroups } from '../shared/neighbours';
import { AWS_ACCOUNT } from '../policies/aws-managed-policies';
import { evaluatePolicies } from './evaluation';
import { AppliedPolicy, PolicySet, PolicySets } from './policy-sets';

/** Why a request was denied by a failure, in one line safe to return to the gateway. */
function reasonOf(error: unknown): string {
  if (error instanceof IamError) return `${error.code}: ${error.message}`;
  return `evaluation failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** A policy of a policy set as `GetPolicySet` answers it: its document as stored. */
export function policySetEntry(policy: AppliedPolicy): PolicySetEntry {
  const out: PolicySetEntry = {
    Kind: policy.kind,
    PolicyType: policy.type,
    PolicyId: policy.policyId,
    PolicyName: policy.name,
    AttachedTo: policy.attachedTo,
    Document: policy.document.text,
  };
  if (policy.arn !== undefined) out.PolicyArn = policy.arn;
  if (policy.versionId !== undefined) out.VersionId = policy.versionId;
  return out;
}

/** What a decision on a user reads: its groups and every policy that applies. */
interface UserPolicies {
  readonly groups: readonly GroupRef[];
  readonly set: PolicySet;
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
    private readonly directory: DirectoryGroups,
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
    let set: PolicySet;
    try {
      ({ set } = await this.policiesOfUser(request.Principal.UserId, () => `decide ${request.Checks.map((check) => `${check.Action} on ${check.Resource}`).join(', ')}`));
    } catch (error) {
      // A decision that could not be made because a store is down is a 503 for the caller to retry (never an allow), not a deny.
      if (error instanceof IamError && error.code === 'ServiceUnavailable') throw error;
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
            MatchedStatements: statements.map(({ statement, origin }) => decisionStatement(policySetEntry(origin), statement)),
            MissingContextKeys: [...decision.missingContextKeys],
          };
        } catch (error) {
          return failed(check, error);
        }
      }),
    };
  }

  /**
   * The user's groups and every policy that applies, as `authorizeBatch` evaluates them, with
   * each document as stored. A user that does not exist has neither (directory answers no
   * groups for it, and no policy is kept for an id that is not a user's). A store that is
   * down → `ServiceUnavailable`; any other failure (a stored document that no longer
   * compiles: `ServiceFailure`) as it is.
   */
  async getPolicySet(request: GetPolicySetRequest): Promise<GetPolicySetReply> {
    const { groups, set } = await this.policiesOfUser(request.Principal.UserId, () => 'read the policy set');
    return {
      Groups: groups.map((group) => ({ GroupId: group.GroupId, GroupName: group.GroupName })),
      Policies: set.applied.map(policySetEntry),
    };
  }

  /**
   * One read of a user's groups (directory) and then of the policies of the user and of those
   * groups (database), in evaluation order. A store that is down is logged with what could not
   * be done (`purpose`, worded only then) and thrown as `ServiceUnavailable`; any other failure
   * is thrown as it is.
   */
  private async policiesOfUser(userId: string, purpose: () => string): Promise<UserPolicies> {
    try {
      const groups = await this.directory.groupsOfUser(userId);
      const set = await this.policySets.load([
        { type: 'user', id: userId },
        ...groups.map((group) => ({ type: 'group' as const, id: group.GroupId, name: group.GroupName })),
      ]);
      return { groups, set };
    } catch (error) {
      const unavailable = error instanceof IamError && error.code === 'ServiceUnavailable' ? error : isDatabaseUnavailable(error) ? databaseUnavailable('authorization') : undefined;
      if (!unavailable) throw error;
      this.logger.warn(`Could not ${purpose()} for user ${userId}: ${reasonOf(error)}; answered ServiceUnavailable`);
      throw unavailable;
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
