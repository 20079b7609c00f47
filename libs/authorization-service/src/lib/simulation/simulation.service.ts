import { Inject, Injectable } from '@nestjs/common';
import {
  ContextEntry,
  ContextKeysReply,
  EvaluationResult,
  PolicySourceType,
  SimulateCustomPolicyRequest,
  SimulatePrincipalPolicyRequest,
  SimulationReply,
  SimulationStatement,
} from '@iam/contracts';
import { invalidMarker, Listing } from '@iam/platform';
import { createRequestContextFromEntries, referencedContextKeys, RequestContext, RequestContextError } from '@iam/policy-engine';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions } from '../authorization.options';
import { Evaluation, evaluatePolicies } from '../decisions/evaluation';
import { PolicyHolder, PolicySets } from '../decisions/policy-sets';
import { compileDocument, CompiledDocument } from '../documents/policy-documents';
import { DirectoryGroups, IdentityUsers } from '../shared/neighbours';
import { AuthorizationErrors } from '../shared/errors';

/** Evaluation results by their index in actions × resources. */
const EVALUATIONS = new Listing<[index: number]>('evaluations', 1);

/** A policy taking part in a simulation: the principal's, or one given in the request. */
interface SimulatedPolicy {
  readonly sourceId: string;
  readonly type: PolicySourceType;
  readonly document: CompiledDocument;
}

/** The principal a simulation is about. */
interface SimulationSource {
  readonly holders: PolicyHolder[];
  /** Context keys a user brings unless the caller gives them. */
  readonly defaults: ContextEntry[];
}

const SOURCE_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)((?:\/[\u0021-\u007E]*)?\/)([\w+=,.@-]+)$/;

/** Builds the simulation's request context; values that are not of their type answer `InvalidInput`. */
export function simulationContext(entries: readonly ContextEntry[]): RequestContext {
  try {
    return createRequestContextFromEntries(
      entries.map((entry) => ({ key: entry.ContextKeyName, type: entry.ContextKeyType, values: entry.ContextKeyValues })),
    );
  } catch (error) {
    if (error instanceof RequestContextError) throw AuthorizationErrors.badContextEntry(error.message);
    throw error;
  }
}

function compileInputs(documents: readonly string[] | undefined, label: string): SimulatedPolicy[] {
  return (documents ?? []).map((text, index) => {
    const sourceId = `${label}.${index + 1}`;
    return { sourceId, type: 'none', document: compileDocument(text, { id: sourceId, type: 'none', name: sourceId }, { kind: 'inline' }) };
  });
}

function statementOf(policy: SimulatedPolicy, statementIndex: number): SimulationStatement {
  const span = policy.document.spans[statementIndex];
  return {
    SourcePolicyId: policy.sourceId,
    SourcePolicyType: policy.type,
    StartPosition: { Line: span?.start.line ?? 0, Column: span?.start.column ?? 0 },
    EndPosition: { Line: span?.end.line ?? 0, Column: span?.end.column ?? 0 },
  };
}

function matched(evaluation: Evaluation<SimulatedPolicy>): SimulationStatement[] {
  return evaluation.statements.map(({ statement, origin }) => statementOf(origin, statement.statementIndex));
}

function unionKeys(...lists: (readonly string[])[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const key of lists.flat()) {
    if (seen.has(key.toLowerCase())) continue;
    seen.add(key.toLowerCase());
    out.push(key);
  }
  return out;
}

/**
 * AWS's policy simulation APIs over the same evaluation as `Authorize`: the
 * principal's policies come from the same loader, the decision from the same
 * engine call.
 */
@Injectable()
export class SimulationService {
  constructor(
    private readonly users: IdentityUsers,
    private readonly groups: DirectoryGroups,
    private readonly policySets: PolicySets,
    @Inject(AUTHORIZATION_OPTIONS) private readonly options: AuthorizationServiceOptions,
  ) {}

  /** Resolves a `PolicySourceArn` to the principals whose policies it has. */
  private async source(arn: string): Promise<SimulationSource> {
    const match = SOURCE_ARN.exec(arn);
    if (!match) throw AuthorizationErrors.badPolicySourceArn(arn);
    const [, account, kind, , name] = match;
    if (kind === 'role') throw AuthorizationErrors.noSuchRole(name);
    if (kind === 'user') {
      const user = await this.users.byName(name);
      if (account !== this.options.accountId || user.Arn !== arn || user.State !== 'active') throw AuthorizationErrors.noSuchUser(name);
      const groups = await this.groups.groupsOfUser(user.UserId);
      return {
        holders: [{ type: 'user', id: user.UserId }, ...groups.map((group) => ({ type: 'group' as const, id: group.GroupId, name: group.GroupName }))],
        defaults: [
          { ContextKeyName: 'aws:username', ContextKeyType: 'string', ContextKeyValues: [user.UserName] },
          { ContextKeyName: 'aws:userid', ContextKeyType: 'string', ContextKeyValues: [user.UserId] },
          { ContextKeyName: 'aws:PrincipalArn', ContextKeyType: 'string', ContextKeyValues: [user.Arn] },
        ],
      };
    }
    const group = await this.groups.byName(name);
    if (account !== this.options.accountId || group.Arn !== arn) throw AuthorizationErrors.noSuchGroup(name);
    return { holders: [{ type: 'group', id: group.GroupId, name: group.GroupName }], defaults: [] };
  }

  private async principalPolicies(holders: PolicyHolder[]): Promise<SimulatedPolicy[]> {
    const set = await this.policySets.load(holders);
    return set.applied.map((policy) => ({ sourceId: policy.name, type: policy.type, document: policy.document }));
  }

  async simulatePrincipal(request: SimulatePrincipalPolicyRequest): Promise<SimulationReply> {
    const inputs = compileInputs(request.PolicyInputList, 'PolicyInputList');
    const boundary = compileInputs(request.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList');
    const source = await this.source(request.PolicySourceArn);
    const given = new Set((request.ContextEntries ?? []).map((entry) => entry.ContextKeyName.toLowerCase()));
    const entries = [...(request.ContextEntries ?? []), ...source.defaults.filter((entry) => !given.has(entry.ContextKeyName.toLowerCase()))];
    const policies = [...(await this.principalPolicies(source.holders)), ...inputs];
    return this.simulate(policies, boundary, request, simulationContext(entries));
  }

  async simulateCustom(request: SimulateCustomPolicyRequest): Promise<SimulationReply> {
    const inputs = compileInputs(request.PolicyInputList, 'PolicyInputList');
    const boundary = compileInputs(request.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList');
    return this.simulate(inputs, boundary, request, simulationContext(request.ContextEntries ?? []));
  }

  /** Each of actions × resources, in that order; only the requested page is evaluated. */
  private simulate(
    policies: readonly SimulatedPolicy[],
    boundary: readonly SimulatedPolicy[],
    request: { ActionNames: string[]; ResourceArns?: string[]; MaxItems?: number; Marker?: string },
    context: RequestContext,
  ): SimulationReply {
    const resources = request.ResourceArns ?? ['*'];
    const total = request.ActionNames.length * resources.length;
    const page = EVALUATIONS.query(request);
    const start = page.after === undefined ? 0 : page.after[0] + 1;
    if (!Number.isInteger(start) || start < 0) throw invalidMarker();
    const end = Math.min(total, start + page.maxItems);
    const results: EvaluationResult[] = [];
    for (let index = start; index < end; index++) {
      const action = request.ActionNames[Math.floor(index / resources.length)];
      const resource = resources[index % resources.length];
      results.push(this.result(policies, boundary, action, resource, context));
    }
    return end < total ? { EvaluationResults: results, IsTruncated: true, Marker: EVALUATIONS.encode([end - 1]) } : { EvaluationResults: results, IsTruncated: false };
  }

  private result(
    policies: readonly SimulatedPolicy[],
    boundary: readonly SimulatedPolicy[],
    action: string,
    resource: string,
    context: RequestContext,
  ): EvaluationResult {
    const request = { action, resource, context };
    const identity = evaluatePolicies(policies, request);
    if (identity.decision.error) throw AuthorizationErrors.evaluationFailed();
    const base = { EvalActionName: action, EvalResourceName: resource };
    if (boundary.length === 0) {
      return {
        ...base,
        EvalDecision: identity.decision.decision,
        MatchedStatements: matched(identity),
        MissingContextValues: [...identity.decision.missingContextKeys],
      };
    }
    const capped = evaluatePolicies(boundary, request);
    if (capped.decision.error) throw AuthorizationErrors.evaluationFailed();
    const missing = unionKeys(identity.decision.missingContextKeys, capped.decision.missingContextKeys);
    const detail = { AllowedByPermissionsBoundary: capped.decision.decision === 'allowed' };
    if (identity.decision.decision === 'explicitDeny') {
      return { ...base, EvalDecision: 'explicitDeny', MatchedStatements: matched(identity), MissingContextValues: missing, PermissionsBoundaryDecisionDetail: detail };
    }
    if (capped.decision.decision === 'explicitDeny') {
      return { ...base, EvalDecision: 'explicitDeny', MatchedStatements: matched(capped), MissingContextValues: missing, PermissionsBoundaryDecisionDetail: detail };
    }
    if (identity.decision.decision === 'allowed' && capped.decision.decision === 'allowed') {
      return {
        ...base,
        EvalDecision: 'allowed',
        MatchedStatements: [...matched(identity), ...matched(capped)],
        MissingContextValues: missing,
        PermissionsBoundaryDecisionDetail: detail,
      };
    }
    return { ...base, EvalDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: missing, PermissionsBoundaryDecisionDetail: detail };
  }

  async contextKeysForPrincipal(request: { PolicySourceArn: string; PolicyInputList?: string[] }): Promise<ContextKeysReply> {
    const inputs = compileInputs(request.PolicyInputList, 'PolicyInputList');
    const source = await this.source(request.PolicySourceArn);
    const policies = [...(await this.principalPolicies(source.holders)), ...inputs];
    return { ContextKeyNames: referencedContextKeys(policies.map((policy) => policy.document.policy)) };
  }

  contextKeysForCustom(request: { PolicyInputList: string[] }): ContextKeysReply {
    const inputs = compileInputs(request.PolicyInputList, 'PolicyInputList');
    return { ContextKeyNames: referencedContextKeys(inputs.map((policy) => policy.document.policy)) };
  }
}
