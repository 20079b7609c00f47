import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IamError } from '@iam/contracts';
import type { Caller } from '../application/caller';
import type { RequestInfo } from '../application/request-info';
import { buildOpenApiDocument } from '../openapi/openapi';
import { AWS_IAM_ACTIONS, AWS_STS_ACTIONS } from '../query/aws-actions';
import { RestRouter } from '../rest/router';
import { OPERATIONS } from './index';
import type { AnyOperation, OperationContext } from './operation';

const ACCOUNT = '123456789012';
const USER = `arn:aws:iam::${ACCOUNT}:user/team/ann`;
const GROUP = `arn:aws:iam::${ACCOUNT}:group/team/devs`;
const POLICY = `arn:aws:iam::${ACCOUNT}:policy/p`;
const CALLER = `arn:aws:iam::${ACCOUNT}:user/me`;

/**
 * The resource each AWS action is checked on, as AWS's "Actions, resources, and condition keys
 * for IAM" defines it: the user, group or policy it acts on, or `*` for actions without a
 * resource type.
 */
const RESOURCE: Record<string, string> = {
  CreateUser: `arn:aws:iam::${ACCOUNT}:user/ann`,
  GetUser: USER,
  ListUsers: '*',
  UpdateUser: USER,
  DeleteUser: USER,
  TagUser: USER,
  UntagUser: USER,
  ListUserTags: USER,
  CreateLoginProfile: USER,
  GetLoginProfile: USER,
  UpdateLoginProfile: USER,
  DeleteLoginProfile: USER,
  ChangePassword: CALLER,
  CreateAccessKey: USER,
  ListAccessKeys: USER,
  UpdateAccessKey: USER,
  DeleteAccessKey: USER,
  GetAccountPasswordPolicy: '*',
  UpdateAccountPasswordPolicy: '*',
  DeleteAccountPasswordPolicy: '*',
  CreateGroup: `arn:aws:iam::${ACCOUNT}:group/devs`,
  GetGroup: GROUP,
  ListGroups: '*',
  UpdateGroup: GROUP,
  DeleteGroup: GROUP,
  AddUserToGroup: GROUP,
  RemoveUserFromGroup: GROUP,
  ListGroupsForUser: USER,
  CreatePolicy: POLICY,
  GetPolicy: POLICY,
  ListPolicies: '*',
  DeletePolicy: POLICY,
  TagPolicy: POLICY,
  UntagPolicy: POLICY,
  ListPolicyTags: POLICY,
  CreatePolicyVersion: POLICY,
  GetPolicyVersion: POLICY,
  ListPolicyVersions: POLICY,
  SetDefaultPolicyVersion: POLICY,
  DeletePolicyVersion: POLICY,
  ListEntitiesForPolicy: POLICY,
  AttachUserPolicy: USER,
  DetachUserPolicy: USER,
  ListAttachedUserPolicies: USER,
  PutUserPolicy: USER,
  GetUserPolicy: USER,
  DeleteUserPolicy: USER,
  ListUserPolicies: USER,
  AttachGroupPolicy: GROUP,
  DetachGroupPolicy: GROUP,
  ListAttachedGroupPolicies: GROUP,
  PutGroupPolicy: GROUP,
  GetGroupPolicy: GROUP,
  DeleteGroupPolicy: GROUP,
  ListGroupPolicies: GROUP,
  SimulatePrincipalPolicy: USER,
  SimulateCustomPolicy: '*',
  GetContextKeysForPrincipalPolicy: USER,
  GetContextKeysForCustomPolicy: '*',
  GetAccountAuthorizationDetails: '*',
  GenerateCredentialReport: '*',
  GetCredentialReport: '*',
  GetAccountSummary: '*',
  CreateAccountAlias: '*',
  DeleteAccountAlias: '*',
  ListAccountAliases: '*',
  ListMFADevices: USER,
  ListVirtualMFADevices: '*',
  ListSSHPublicKeys: USER,
  ListSigningCertificates: USER,
  ListServiceSpecificCredentials: USER,
};

/** Our own operations: the IAM actions each needs, all on one resource. */
const OWN: Record<string, { actions: string[]; resource?: string }> = {
  CreateSession: { actions: [] },
  GetCurrentSession: { actions: [] },
  DeleteCurrentSession: { actions: [] },
  GetCallerUser: { actions: ['iam:GetUser'], resource: CALLER },
  ListGroupMembers: { actions: ['iam:GetGroup'], resource: GROUP },
  Authorize: { actions: ['iam:SimulatePrincipalPolicy'], resource: USER },
  GetCallerPermissions: { actions: [] },
  WhoCan: { actions: ['iam:GetAccountAuthorizationDetails'], resource: '*' },
  // The views need the entity's own read; each other part is checked while the view is built (views.spec.ts).
  GetUserOverview: { actions: ['iam:GetUser'], resource: USER },
  GetGroupOverview: { actions: ['iam:GetGroup'], resource: GROUP },
};

/** A sample value for each member an operation may read while choosing its checks. */
const SAMPLE: Record<string, unknown> = {
  UserName: 'ann',
  GroupName: 'devs',
  PolicyName: 'p',
  PolicyArn: POLICY,
  PolicySourceArn: USER,
  Principal: 'ann',
  AccessKeyId: 'AKIAEXAMPLEEXAMPLE00',
  VersionId: 'v1',
  PolicyDocument: '{}',
  Password: 'x',
  OldPassword: 'x',
  NewPassword: 'y',
  Status: 'Inactive',
  ActionName: 'iam:GetUser',
  ResourceArn: '*',
  Action: 'myapp:Read',
  Resource: '*',
  ActionNames: ['iam:GetUser'],
  PolicyInputList: ['{}'],
  Tags: [{ Key: 'team', Value: 'blue' }],
  AccountAlias: 'example-corp',
  TagKeys: ['team'],
  Checks: [{ Action: 'iam:ListUsers', Resource: '*' }],
};

function sampleInput(operation: AnyOperation): Parameters<AnyOperation['checks']>[0] {
  const value: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(operation.input.members)) {
    if (member.required || name === 'UserName' || name === 'GroupName') value[name] = SAMPLE[name] ?? 'x';
  }
  if (operation.name === 'CreateUser' || operation.name === 'CreateGroup' || operation.name === 'CreatePolicy') delete value['Tags'];
  return value as Parameters<AnyOperation['checks']>[0];
}

const caller: Caller = {
  type: 'user',
  arn: CALLER,
  accountId: ACCOUNT,
  via: 'access-key',
  userId: 'AIDAME',
  userName: 'me',
  path: '/',
  tags: [],
  passwordResetRequired: false,
};

function fakeContext(): OperationContext {
  const bus = {
    send: async (pattern: string) => {
      if (pattern === 'identity.user.resolve') return { UserId: 'AIDAANN', UserName: 'ann', Path: '/team/', Arn: USER, State: 'active', Tags: [], CreateDate: '2026-01-01T00:00:00Z' };
      if (pattern === 'directory.group.resolve') return { GroupId: 'AGPADEVS', GroupName: 'devs', Path: '/team/', Arn: GROUP };
      if (pattern === 'identity.password-policy.get') throw new IamError('NoSuchEntity', 'none');
      throw new Error(`checks must not call ${pattern}`);
    },
  };
  return {
    caller,
    request: {} as RequestInfo,
    bus: bus as unknown as OperationContext['bus'],
    accountId: ACCOUNT,
    now: new Date(),
    options: { accountId: ACCOUNT } as OperationContext['options'],
    authorize: async () => undefined,
    decide: async (checks) => checks.map(() => ({ decision: 'allowed' as const, missingContextKeys: [] })),
    evaluate: () => Promise.reject(new Error('checks must not decide')),
    resolveUser: () => bus.send('identity.user.resolve') as unknown as ReturnType<OperationContext['resolveUser']>,
    resolveGroup: () => bus.send('directory.group.resolve') as unknown as ReturnType<OperationContext['resolveGroup']>,
  };
}

describe('the operation table', () => {
  const queryOperations = OPERATIONS.filter((o) => o.query && o.api !== 'sts');
  const stsOperations = OPERATIONS.filter((o) => o.query && o.api === 'sts');

  it('serves only AWS actions on the Query API, each once', () => {
    for (const operation of queryOperations) expect(AWS_IAM_ACTIONS.has(operation.name)).toBe(true);
    expect(stsOperations.map((o) => o.name).sort()).toEqual(['GetAccessKeyInfo', 'GetCallerIdentity']);
    for (const operation of stsOperations) expect(AWS_STS_ACTIONS.has(operation.name)).toBe(true);
    expect(new Set(OPERATIONS.map((o) => o.name)).size).toBe(OPERATIONS.length);
  });

  it('serves every AWS action of the identity, directory and authorization services, and the account views', () => {
    expect(queryOperations.map((o) => o.name).sort()).toEqual(Object.keys(RESOURCE).concat('GetAccessKeyLastUsed').sort());
  });

  it.each(queryOperations.filter((o) => o.name !== 'GetAccessKeyLastUsed').map((o) => [o.name, o] as const))(
    '%s checks its own IAM action on the resource AWS defines',
    async (name, operation) => {
      const checks = await operation.checks(sampleInput(operation), fakeContext());
      expect(checks.length).toBeGreaterThanOrEqual(1);
      expect(checks[0]).toMatchObject({ action: `iam:${name}`, resource: RESOURCE[name] });
      for (const check of checks) expect(check.action).toBe(`iam:${name}`);
    },
  );

  it('STS: GetCallerIdentity needs no permission; GetAccessKeyInfo needs sts:GetAccessKeyInfo', async () => {
    const byName = (name: string) => OPERATIONS.find((o) => o.name === name) as AnyOperation;
    expect(await byName('GetCallerIdentity').checks({}, fakeContext())).toEqual([]);
    expect(await byName('GetAccessKeyInfo').checks({ AccessKeyId: 'AKIAEXAMPLEEXAMPLE00' }, fakeContext())).toEqual([{ action: 'sts:GetAccessKeyInfo', resource: '*' }]);
  });

  it('GetAccessKeyLastUsed checks iam:GetAccessKeyLastUsed on the key\'s owner once it is known', async () => {
    const operation = OPERATIONS.find((o) => o.name === 'GetAccessKeyLastUsed') as AnyOperation;
    const checked: unknown[] = [];
    const context = fakeContext();
    const bus = context.bus as unknown as { send: (pattern: string, request: unknown) => Promise<unknown> };
    const resolve = bus.send;
    bus.send = async (pattern, request) =>
      pattern === 'identity.access-key.last-used'
        ? { UserName: 'ann', UserArn: USER, AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } }
        : resolve(pattern, request);
    const reply = await operation.call({ AccessKeyId: 'AKIAEXAMPLEEXAMPLE00' }, { ...context, authorize: async (checks) => void checked.push(...checks) });
    expect(reply).toEqual({ UserName: 'ann', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    expect(await operation.checks({ AccessKeyId: 'AKIAEXAMPLEEXAMPLE00' }, context)).toEqual([]);
    expect(checked).toEqual([{ action: 'iam:GetAccessKeyLastUsed', resource: USER }]);
  });

  it('GetAccessKeyLastUsed tells that a key does not exist only to a caller allowed on every user', async () => {
    const operation = OPERATIONS.find((o) => o.name === 'GetAccessKeyLastUsed') as AnyOperation;
    const context = fakeContext();
    const bus = context.bus as unknown as { send: (pattern: string, request: unknown) => Promise<unknown> };
    bus.send = async () => {
      throw new IamError('NoSuchEntity', 'The Access Key with id AKIAEXAMPLEEXAMPLE00 cannot be found.');
    };
    const checked: unknown[] = [];
    const allowed = operation.call({ AccessKeyId: 'AKIAEXAMPLEEXAMPLE00' }, { ...context, authorize: async (checks) => void checked.push(...checks) });
    await expect(allowed).rejects.toMatchObject({ code: 'NoSuchEntity' });
    expect(checked).toEqual([{ action: 'iam:GetAccessKeyLastUsed', resource: `arn:aws:iam::${ACCOUNT}:user/*` }]);
    const denied = operation.call({ AccessKeyId: 'AKIAEXAMPLEEXAMPLE00' }, {
      ...context,
      authorize: async () => {
        throw new IamError('AccessDenied', 'denied');
      },
    });
    await expect(denied).rejects.toMatchObject({ code: 'AccessDenied' });
  });

  it("GetAccessKeyLastUsed denies with the same message whether the key is unknown or another user's, never naming the owner", async () => {
    const operation = OPERATIONS.find((o) => o.name === 'GetAccessKeyLastUsed') as AnyOperation;
    const deny = async (checks: readonly { action: string; resource: string }[]) => {
      throw new IamError('AccessDenied', `User: ${CALLER} is not authorized to perform: ${checks[0].action} on resource: ${checks[0].resource}`);
    };
    const messageFor = async (lookup: () => Promise<unknown>) => {
      const context = fakeContext();
      (context.bus as unknown as { send: () => Promise<unknown> }).send = lookup;
      const error = await operation.call({ AccessKeyId: 'AKIAEXAMPLEEXAMPLE00' }, { ...context, authorize: deny }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'AccessDenied' });
      return (error as Error).message;
    };
    const owned = await messageFor(async () => ({ UserName: 'ann', UserArn: USER, AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } }));
    const unknown = await messageFor(async () => {
      throw new IamError('NoSuchEntity', 'The Access Key with id AKIAEXAMPLEEXAMPLE00 cannot be found.');
    });
    expect(owned).toBe(unknown);
    expect(owned).not.toContain(USER);
    expect(owned).not.toMatch(/\bann\b|user\/\*/);
    expect(owned).toContain('AKIAEXAMPLEEXAMPLE00');
  });

  it.each(Object.entries(OWN))('%s (REST only) checks %j', async (name, expected) => {
    const operation = OPERATIONS.find((o) => o.name === name) as AnyOperation;
    expect(operation.query).toBe(false);
    const checks = await operation.checks(sampleInput(operation), fakeContext());
    expect(checks.map((c) => c.action)).toEqual(expected.actions);
    for (const check of checks) expect(check.resource).toBe(expected.resource);
  });

  it('puts the condition keys AWS sets: request tags, tag keys, the policy ARN', async () => {
    const find = (name: string) => OPERATIONS.find((o) => o.name === name) as AnyOperation;
    const [create] = await find('CreateUser').checks({ UserName: 'ann', Tags: [{ Key: 'team', Value: 'blue' }] }, fakeContext());
    expect(create.context).toEqual({ 'aws:RequestTag/team': 'blue', 'aws:TagKeys': ['team'] });
    const [untag] = await find('UntagUser').checks({ UserName: 'ann', TagKeys: ['team'] }, fakeContext());
    expect(untag.context).toEqual({ 'aws:TagKeys': ['team'] });
    const [attach] = await find('AttachGroupPolicy').checks({ GroupName: 'devs', PolicyArn: POLICY }, fakeContext());
    expect(attach.context).toEqual({ 'iam:PolicyARN': POLICY });
  });

  it('checks a rename on both the old and the new ARN', async () => {
    const update = OPERATIONS.find((o) => o.name === 'UpdateUser') as AnyOperation;
    const checks = await update.checks({ UserName: 'ann', NewUserName: 'anna', NewPath: '/ops/' }, fakeContext());
    expect(checks.map((c) => c.resource)).toEqual([USER, `arn:aws:iam::${ACCOUNT}:user/ops/anna`]);
    const group = OPERATIONS.find((o) => o.name === 'UpdateGroup') as AnyOperation;
    const groupChecks = await group.checks({ GroupName: 'devs', NewGroupName: 'developers' }, fakeContext());
    expect(groupChecks.map((c) => c.resource)).toEqual([GROUP, `arn:aws:iam::${ACCOUNT}:group/team/developers`]);
  });

  it('gives every operation a REST route whose path members are required input members', () => {
    for (const operation of OPERATIONS) {
      expect(operation.rest !== undefined || operation.compatibilityOnly === true).toBe(true);
      for (const [, member] of (operation.rest?.path ?? '').matchAll(/\{(\w+)\}/g)) {
        expect(operation.input.members[member]).toBeDefined();
      }
    }
  });

  it('documents every route in the OpenAPI document, with the same constraints as the shapes', () => {
    const router = new RestRouter(OPERATIONS);
    const document = buildOpenApiDocument(router, { version: 'test' }) as { paths: Record<string, Record<string, { operationId: string }>> };
    const documented = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((m) => m.operationId));
    expect(documented.sort()).toEqual(OPERATIONS.filter((o) => o.rest).map((o) => o.name).sort());
  });

  it('is documented in docs/gateway.md: every REST route and every Query action', () => {
    const doc = readFileSync(resolve(__dirname, '../../../../../docs/gateway.md'), 'utf8');
    for (const operation of OPERATIONS) {
      if (operation.rest) expect(doc).toContain(`| \`${operation.rest.method} ${operation.rest.path}\` |`);
      if (operation.query) expect(doc).toContain(`\`${operation.name}\``);
    }
  });
});
