import type { Caller } from '../application/caller';
import type { RequestInfo } from '../application/request-info';
import { bearerToken } from '../auth/bus-authenticator';
import { Dependency, type Invalidation } from './coherence';
import { sessionDigest } from './data-plane';

type Input = Readonly<Record<string, unknown>>;
type Scope = (input: Input, caller: Caller, request: RequestInfo) => Invalidation;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
/** The user an operation names, or the caller for operations whose `UserName` defaults to it (root: everything). */
const userOrCaller = (input: Input, caller: Caller): Invalidation => {
  if (typeof input['UserName'] === 'string') return { keys: [Dependency.userName(input['UserName'])] };
  return caller.type === 'root' ? { all: true, keys: [] } : { keys: [Dependency.userId(caller.userId)] };
};
const user: Scope = (input) => ({ keys: [Dependency.userName(text(input['UserName']))] });
const group: Scope = (input) => ({ keys: [Dependency.groupName(text(input['GroupName']))] });
const policy: Scope = (input) => ({ keys: [Dependency.policyArn(text(input['PolicyArn']))] });
const accessKey: Scope = (input, caller) => ({ keys: [Dependency.accessKey(text(input['AccessKeyId'])), ...userOrCaller(input, caller).keys], all: userOrCaller(input, caller).all });
const everything: Scope = () => ({ all: true, keys: [] });

/**
 * What each operation that changes state can change of what the data plane caches (sessions,
 * signing keys, users by name, policy sets): it is dropped on every replica before the
 * operation returns. Widening changes are listed too, so a grant holds at once as well.
 */
export const INVALIDATIONS: Readonly<Record<string, Scope>> = {
  DeleteCurrentSession: (_input, _caller, request) => {
    const token = bearerToken(request);
    return { keys: token === undefined ? [] : [Dependency.session(sessionDigest(token))] };
  },
  UpdateLoginProfile: user,
  DeleteLoginProfile: user,
  ChangePassword: (input, caller) => userOrCaller({}, caller),
  UpdateAccountPasswordPolicy: everything,
  DeleteAccountPasswordPolicy: everything,
  UpdateAccessKey: accessKey,
  DeleteAccessKey: accessKey,
  UpdateUser: user,
  DeleteUser: user,
  TagUser: user,
  UntagUser: user,
  AttachUserPolicy: user,
  DetachUserPolicy: user,
  PutUserPolicy: user,
  DeleteUserPolicy: user,
  AttachGroupPolicy: group,
  DetachGroupPolicy: group,
  PutGroupPolicy: group,
  DeleteGroupPolicy: group,
  UpdateGroup: group,
  DeleteGroup: group,
  AddUserToGroup: user,
  RemoveUserFromGroup: user,
  DeletePolicy: policy,
  CreatePolicyVersion: policy,
  SetDefaultPolicyVersion: policy,
  DeletePolicyVersion: policy,
};

/**
 * Operations that change state but nothing the data plane caches: a new entity nothing cached
 * refers to yet, a policy's tags (read afresh by every check on the policy), the alias, the report.
 */
export const CHANGES_NOTHING_CACHED: ReadonlySet<string> = new Set([
  'CreateSession',
  'CreateLoginProfile',
  'CreateAccessKey',
  'CreateUser',
  'CreateGroup',
  'CreatePolicy',
  'TagPolicy',
  'UntagPolicy',
  'CreateAccountAlias',
  'DeleteAccountAlias',
  'GenerateCredentialReport',
]);

/** Operations that only read (and decisions, which change nothing). */
const READS = /^(Get|List|Simulate)/;
const READ_ONLY: ReadonlySet<string> = new Set(['Authorize', 'WhoCan']);

/**
 * What `operation` may change of the cached state: `undefined` when nothing, every entry for a
 * change this table does not know (so a new operation that forgets to say is safe, only slower).
 */
export function invalidationOf(operation: string, input: Input, caller: Caller, request: RequestInfo): Invalidation | undefined {
  const scope = INVALIDATIONS[operation];
  if (scope) return scope(input, caller, request);
  if (CHANGES_NOTHING_CACHED.has(operation) || READ_ONLY.has(operation) || READS.test(operation)) return undefined;
  return { all: true, keys: [] };
}
