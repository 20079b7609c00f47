import { Arns, AuthorizationPatterns, callerMayGiveContextKey, IamError, type RequestContextValues } from '@iam/contracts';
import { createRequestContextFromEntries, RequestContextError, type ContextKeyType } from '@iam/policy-engine';
import { defineOperation, input, required } from '../operation';
import { ContextEntryShape, Out, PageMembers, PageOut, Shapes } from '../shapes';
import { userTarget } from '../targets';
import { GatewayErrors } from '../../http/gateway-errors';

const TAG = 'Simulation';
const PolicyInputList = { type: 'list', member: Shapes.policyDocument, max: 50 } as const;
const SimulationMembers = {
  PermissionsBoundaryPolicyInputList: { type: 'list', member: Shapes.policyDocument, max: 10 },
  ActionNames: required({ type: 'list', member: Shapes.actionName, min: 1, max: 1000 }),
  ResourceArns: { type: 'list', member: Shapes.resourceName, min: 1, max: 1000 },
  ContextEntries: { type: 'list', member: ContextEntryShape, max: 256 },
  ...PageMembers,
} as const;
/** Members of AWS's simulation APIs for resource-based policies, which this server does not have. */
const RESOURCE_POLICY_MEMBERS = ['ResourcePolicy', 'ResourceOwner', 'CallerArn', 'ResourceHandlingOption'];

const PositionOut = Out.struct({ Line: Out.int, Column: Out.int });
const SimulationOut = Out.struct({
  EvaluationResults: Out.list(
    Out.struct({
      EvalActionName: Out.text,
      EvalResourceName: Out.text,
      EvalDecision: Out.text,
      MatchedStatements: Out.list(
        Out.struct({ SourcePolicyId: Out.text, SourcePolicyType: Out.text, StartPosition: PositionOut, EndPosition: PositionOut }),
      ),
      MissingContextValues: Out.list(Out.text),
      PermissionsBoundaryDecisionDetail: Out.struct({ AllowedByPermissionsBoundary: Out.bool }),
    }),
  ),
  ...PageOut,
});

export const SimulatePrincipalPolicy = defineOperation({
  name: 'SimulatePrincipalPolicy',
  query: true,
  tag: TAG,
  summary:
    "Simulates a user's (or group's) policies, plus PolicyInputList, for each of ActionNames × ResourceArns. Needs iam:SimulatePrincipalPolicy on PolicySourceArn.",
  input: input({ PolicySourceArn: required(Shapes.arn), PolicyInputList, ...SimulationMembers }),
  output: SimulationOut,
  paginated: true,
  unsupported: RESOURCE_POLICY_MEMBERS,
  checks: (i) => [{ action: 'iam:SimulatePrincipalPolicy', resource: i.PolicySourceArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.SimulatePrincipalPolicy, i),
  rest: { method: 'POST', path: '/v1/simulate' },
});

export const SimulateCustomPolicy = defineOperation({
  name: 'SimulateCustomPolicy',
  query: true,
  tag: TAG,
  summary: 'Simulates the policies of PolicyInputList for each of ActionNames × ResourceArns.',
  input: input({ PolicyInputList: required({ ...PolicyInputList, min: 1 }), ...SimulationMembers }),
  output: SimulationOut,
  paginated: true,
  unsupported: RESOURCE_POLICY_MEMBERS,
  checks: () => [{ action: 'iam:SimulateCustomPolicy', resource: '*' }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.SimulateCustomPolicy, i),
  rest: { method: 'POST', path: '/v1/simulate/custom' },
});

export const GetContextKeysForPrincipalPolicy = defineOperation({
  name: 'GetContextKeysForPrincipalPolicy',
  query: true,
  tag: TAG,
  summary: "The context keys a user's (with its groups') or group's policies, and PolicyInputList, reference.",
  input: input({ PolicySourceArn: required(Shapes.arn), PolicyInputList }),
  output: Out.struct({ ContextKeyNames: Out.list(Out.text) }),
  checks: (i) => [{ action: 'iam:GetContextKeysForPrincipalPolicy', resource: i.PolicySourceArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.GetContextKeysForPrincipalPolicy, i),
  rest: { method: 'POST', path: '/v1/context-keys' },
});

export const GetContextKeysForCustomPolicy = defineOperation({
  name: 'GetContextKeysForCustomPolicy',
  query: true,
  tag: TAG,
  summary: 'The context keys the policies of PolicyInputList reference.',
  input: input({ PolicyInputList: required({ ...PolicyInputList, min: 1 }) }),
  output: Out.struct({ ContextKeyNames: Out.list(Out.text) }),
  checks: () => [{ action: 'iam:GetContextKeysForCustomPolicy', resource: '*' }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.GetContextKeysForCustomPolicy, i),
  rest: { method: 'POST', path: '/v1/context-keys/custom' },
});

const USER_ARN = /^arn:aws:iam::(\d{12}):user(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;
const ROOT_ARN = /^arn:aws:iam::(\d{12}):root$/;

/** The user or root a `/v1/authorize` request names, by ARN or user name. */
async function principalOf(
  principal: string,
  context: Parameters<typeof userTarget>[0],
): Promise<{ arn: string; ref: { Type: 'root' } | { Type: 'user'; UserId: string }; user?: { name: string; id: string } }> {
  const root = ROOT_ARN.exec(principal);
  if (root) {
    if (root[1] !== context.accountId) throw GatewayErrors.principalOfOtherAccount(principal);
    return { arn: principal, ref: { Type: 'root' } };
  }
  let name = principal;
  if (principal.startsWith('arn:')) {
    const user = USER_ARN.exec(principal);
    if (!user) throw GatewayErrors.notAPrincipal(principal);
    if (user[1] !== context.accountId) throw GatewayErrors.principalOfOtherAccount(principal);
    name = user[3];
  } else if (!/^[\w+=,.@-]{1,128}$/.test(principal)) {
    throw GatewayErrors.notAPrincipal(principal);
  }
  const resolved = await context.resolveUser(name);
  if (principal.startsWith('arn:') && resolved.Arn !== principal) {
    throw GatewayErrors.noSuchUserArn(principal);
  }
  return { arn: resolved.Arn, ref: { Type: 'user', UserId: resolved.UserId }, user: { name: resolved.UserName, id: resolved.UserId } };
}

/**
 * Context entries as the decision takes them: list types multivalued, the others single-valued.
 * Context key names are case-insensitive: a key given twice, in any letter case, is refused.
 */
export function contextValues(entries: ReadonlyArray<{ ContextKeyName?: string; ContextKeyValues?: string[]; ContextKeyType?: string }> | undefined): RequestContextValues {
  const values: RequestContextValues = {};
  const seen = new Map<string, string>();
  for (const entry of entries ?? []) {
    if (!entry.ContextKeyName) continue;
    const previous = seen.get(entry.ContextKeyName.toLowerCase());
    if (previous !== undefined) {
      throw GatewayErrors.repeatedContextKey(entry.ContextKeyName, previous);
    }
    seen.set(entry.ContextKeyName.toLowerCase(), entry.ContextKeyName);
    const list = entry.ContextKeyValues ?? [];
    if (entry.ContextKeyType?.endsWith('List')) values[entry.ContextKeyName] = list;
    else if (list.length > 1) {
      throw GatewayErrors.contextKeyArity(entry.ContextKeyName, entry.ContextKeyType ?? 'string', list.length);
    } else if (list.length === 1) values[entry.ContextKeyName] = list[0];
  }
  return values;
}

export const Authorize = defineOperation({
  name: 'Authorize',
  query: false,
  tag: 'Decisions',
  summary:
    "For applications that protect their own resources with this product: may this principal (a user ARN, a user name or the root ARN) do this action (any `service:action`, e.g. `myapp:ReadReport`) on this resource, in this context? Answers the decision and the statements that made it. The principal's policies are evaluated as for IAM's own calls, with aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount and aws:PrincipalType set from the principal unless given. Needs iam:SimulatePrincipalPolicy on the principal.",
  input: input({
    Principal: required({ type: 'string', min: 1, max: 2048 }),
    Action: required({ type: 'string', min: 3, max: 128, pattern: '[A-Za-z0-9-]+:[A-Za-z0-9*?_-]+' }),
    Resource: required(Shapes.resourceName),
    ContextEntries: { type: 'list', member: ContextEntryShape, max: 256 },
  }),
  output: Out.struct({
    Principal: Out.text,
    Action: Out.text,
    Resource: Out.text,
    Decision: Out.text,
    MatchedStatements: Out.list(
      Out.struct({
        PolicyId: Out.text,
        PolicyName: Out.text,
        PolicyType: Out.text,
        PolicyArn: Out.text,
        VersionId: Out.text,
        Sid: Out.text,
        StatementIndex: Out.int,
        Effect: Out.text,
      }),
    ),
    MissingContextKeys: Out.list(Out.text),
  }),
  checks: async (i, c) => {
    const principal = await principalOf(i.Principal, c).catch((error: unknown) => {
      if (error instanceof IamError && error.code === 'NoSuchEntity' && !i.Principal.startsWith('arn:')) {
        return { arn: Arns.user(c.accountId, '/', i.Principal) };
      }
      if (error instanceof IamError && error.code === 'NoSuchEntity') return { arn: i.Principal };
      throw error;
    });
    return [{ action: 'iam:SimulatePrincipalPolicy', resource: principal.arn }];
  },
  call: async (i, c) => {
    const principal = await principalOf(i.Principal, c);
    const given = contextValues(i.ContextEntries);
    // The principal's keys, unless the request gives them (in any letter case: keys are case-insensitive).
    const givenNames = new Set(Object.keys(given).map((key) => key.toLowerCase()));
    const fromPrincipal: RequestContextValues = {
      'aws:PrincipalArn': principal.arn,
      'aws:PrincipalAccount': c.accountId,
      'aws:PrincipalType': principal.ref.Type === 'root' ? 'Account' : 'User',
      'aws:userid': principal.user?.id ?? c.accountId,
      ...(principal.user ? { 'aws:username': principal.user.name } : {}),
    };
    const context: RequestContextValues = {
      ...Object.fromEntries(Object.entries(fromPrincipal).filter(([key]) => !givenNames.has(key.toLowerCase()))),
      ...given,
    };
    const decision = await c.evaluate({ Principal: principal.ref, Action: i.Action, Resource: i.Resource, Context: context }, principal.user?.name);
    if (decision.Error) throw GatewayErrors.undecided(decision.Error);
    return { Principal: principal.arn, Action: i.Action, Resource: i.Resource, ...decision };
  },
  rest: { method: 'POST', path: '/v1/authorize' },
});

export const WhoCan = defineOperation({
  name: 'WhoCan',
  query: false,
  tag: 'Decisions',
  summary:
    'Who can do an action on a resource (an ARN or an ARN pattern): every user with an applicable statement, its verdict (allowed, denied, conditional) and the statements, with the group each comes through. Needs iam:GetAccountAuthorizationDetails (the view shows every principal\'s grants).',
  input: input({
    ActionName: required(Shapes.actionName),
    ResourceArn: required(Shapes.resourceName),
    Verdicts: { type: 'list', member: { type: 'string', enum: ['allowed', 'denied', 'conditional'] }, min: 1, max: 3 },
    ...PageMembers,
  }),
  output: Out.struct({
    ActionName: Out.text,
    ResourceArn: Out.text,
    Principals: Out.list(Out.struct({ UserName: Out.text, UserId: Out.text, Path: Out.text, Arn: Out.text, Verdict: Out.text })),
    Counts: Out.struct({ Allowed: Out.int, Denied: Out.int, Conditional: Out.int }),
    ...PageOut,
  }),
  paginated: true,
  checks: () => [{ action: 'iam:GetAccountAuthorizationDetails', resource: '*' }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.WhoCan, i),
  rest: { method: 'GET', path: '/v1/who-can', aliases: { action: 'ActionName', resource: 'ResourceArn' }, listParams: { verdicts: 'Verdicts' } },
});

/** How many checks one `GetCallerPermissions` request may ask about. */
export const CALLER_PERMISSIONS_MAX_CHECKS = 100;
/** How many context entries one of its checks may give. */
export const CALLER_PERMISSIONS_MAX_CONTEXT_ENTRIES = 20;

type ContextEntries = ReadonlyArray<{ ContextKeyName: string; ContextKeyValues: string[]; ContextKeyType: string }>;

/**
 * The context entries of one of the caller's checks, as the decision takes them: only keys of the
 * request's own parameters ({@link callerMayGiveContextKey}; a key the server sets is refused, so
 * a caller cannot make itself look allowed), each value of its type, each key once (in any letter
 * case), a single-valued type with one value. Anything else → `InvalidInput`.
 */
export function callerContext(entries: ContextEntries | undefined): RequestContextValues | undefined {
  if (!entries || entries.length === 0) return undefined;
  for (const entry of entries) {
    if (!callerMayGiveContextKey(entry.ContextKeyName)) throw GatewayErrors.contextKeyOfTheServer(entry.ContextKeyName);
  }
  const values = contextValues(entries);
  try {
    createRequestContextFromEntries(entries.map((entry) => ({ key: entry.ContextKeyName, type: entry.ContextKeyType as ContextKeyType, values: entry.ContextKeyValues })));
  } catch (error) {
    if (error instanceof RequestContextError) throw GatewayErrors.badContextValue(error.message);
    throw error;
  }
  return values;
}

export const GetCallerPermissions = defineOperation({
  name: 'GetCallerPermissions',
  query: false,
  tag: 'Decisions',
  summary:
    `What may I do? The caller's decision on each of Checks (an action, a resource and, optionally, the ContextEntries a real request would give, at most ${CALLER_PERMISSIONS_MAX_CHECKS} checks), made as for a request of the caller's with the same global condition keys (source IP, time, principal tags, ...): \`allowed\`, \`explicitDeny\` or \`implicitDeny\`, with the context keys the applicable statements reference that the check did not give (\`iam:PolicyARN\`, \`aws:RequestTag/...\`), so a decision that depends on them is not final. A check's ContextEntries (AWS's ContextEntry: ContextKeyName, ContextKeyValues, ContextKeyType; at most ${CALLER_PERMISSIONS_MAX_CONTEXT_ENTRIES}) may give only keys of the request's own parameters (\`iam:PolicyARN\`, \`iam:PermissionsBoundary\`, \`iam:PassedToService\`, \`aws:RequestTag/...\`, \`aws:TagKeys\`, other services' keys): any other \`aws:\` key, and the resource's tags, are the server's to set, and giving one answers InvalidInput. Any authenticated caller may ask about itself (no IAM action is needed); root is allowed everything. Lets a user interface show what the caller may not do; every call is still authorized on its own.`,
  input: input({
    Checks: required({
      type: 'list',
      min: 1,
      max: CALLER_PERMISSIONS_MAX_CHECKS,
      member: {
        type: 'structure',
        members: {
          Action: required({ type: 'string', min: 3, max: 128, pattern: '[A-Za-z0-9-]+:[A-Za-z0-9*?_-]+' }),
          Resource: required(Shapes.resourceName),
          ContextEntries: { type: 'list', member: ContextEntryShape, max: CALLER_PERMISSIONS_MAX_CONTEXT_ENTRIES },
        },
      },
    }),
  }),
  output: Out.struct({
    Principal: Out.text,
    Results: Out.list(Out.struct({ Action: Out.text, Resource: Out.text, Decision: Out.text, MissingContextKeys: Out.list(Out.text) })),
  }),
  // The caller asks about itself only: what it may do is no secret to it.
  checks: () => [],
  call: async (i, c) => {
    const checks = i.Checks.map((check) => {
      const context = callerContext(check.ContextEntries);
      return { action: check.Action, resource: check.Resource, ...(context ? { context } : {}) };
    });
    const decisions = await c.decide(checks);
    return {
      Principal: c.caller.arn,
      Results: checks.map((check, n) => ({
        Action: check.action,
        Resource: check.resource,
        Decision: decisions[n].decision,
        MissingContextKeys: [...decisions[n].missingContextKeys],
      })),
    };
  },
  rest: { method: 'POST', path: '/v1/me/permissions' },
});

export const SIMULATION_OPERATIONS = [
  SimulatePrincipalPolicy,
  SimulateCustomPolicy,
  GetContextKeysForPrincipalPolicy,
  GetContextKeysForCustomPolicy,
  Authorize,
  GetCallerPermissions,
  WhoCan,
];
