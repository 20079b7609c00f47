import { deleteGroupChecks, deletePolicyChecks, deleteUserChecks, groupPageChecks, policyCheck, userPageChecks } from './page-checks';
import { buttonState, checkKey, checkRequest, MAX_CHECKS_PER_REQUEST, PermissionBatcher, type Check, type CheckResult } from './permissions';
import type { Group, UserOverview } from './types';

const ACCOUNT = '000000000000';
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const group = (name: string): Group => ({ GroupName: name, GroupId: `AGPA${name}`, Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/${name}`, CreateDate: '' });

function admin(groups: Group[]): UserOverview {
  return {
    User: { UserName: 'admin', UserId: 'AIDAADMIN', Path: '/', Arn: userArn('admin'), CreateDate: '' },
    Groups: groups,
    AccessKeys: [{ UserName: 'admin', AccessKeyId: 'AKIAEXAMPLE', Status: 'Active', CreateDate: '' }],
    LoginProfile: { Enabled: true },
    AttachedPolicies: [
      { PolicyName: 'ReadUsers', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/ReadUsers` },
      { PolicyName: 'Admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    ],
    InlinePolicyNames: ['own'],
  };
}

/** A gateway answering /v1/me/permissions as `decide` says, recording each request; the batcher sends when told. */
function gateway(decide: (check: Check) => Pick<CheckResult, 'Decision' | 'MissingContextKeys'>) {
  const requests: Check[][] = [];
  let run: (() => void) | undefined;
  const batcher = new PermissionBatcher(
    async (checks) => {
      requests.push(checks);
      return checks.map((c) => ({ Action: c.action, Resource: c.resource, ...decide(c) }));
    },
    (fn) => (run = fn),
  );
  const send = async () => {
    const fn = run;
    run = undefined;
    fn?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { batcher, requests, send };
}

/** dave: may read, may remove members of `security` only; may detach ReadUsers only (a condition on iam:PolicyARN). */
const dave = (c: Check): Pick<CheckResult, 'Decision' | 'MissingContextKeys'> => {
  if (c.action === 'iam:RemoveUserFromGroup' && c.resource.endsWith(':group/security')) return { Decision: 'allowed', MissingContextKeys: [] };
  if (c.action === 'iam:DetachUserPolicy') {
    const policy = c.context?.['iam:PolicyARN'];
    if (policy === undefined) return { Decision: 'implicitDeny', MissingContextKeys: ['iam:PolicyARN'] };
    return { Decision: policy.endsWith(':policy/ReadUsers') ? 'allowed' : 'implicitDeny', MissingContextKeys: [] };
  }
  if (c.action.startsWith('iam:Get')) return { Decision: 'allowed', MissingContextKeys: [] };
  return { Decision: 'implicitDeny', MissingContextKeys: [] };
};

describe("a page's buttons, asked about with their concrete resources, all at once", () => {
  it("asks for every button of a user's page (every tab, the delete dialog) in one request, each on the user's or the group's ARN", async () => {
    const view = admin([group('security'), group('developers')]);
    const checks = userPageChecks(view);
    expect(checks.every((c) => c.resource.startsWith(`arn:aws:iam::${ACCOUNT}:`))).toBe(true);
    expect(checks).toContainEqual({ action: 'iam:DeleteUser', resource: userArn('admin') });
    expect(checks).toContainEqual({ action: 'iam:RemoveUserFromGroup', resource: group('security').Arn });
    expect(checks).toContainEqual({ action: 'iam:RemoveUserFromGroup', resource: group('developers').Arn });

    const { batcher, requests, send } = gateway(dave);
    // The page asks for all of them as it renders; its header and its first tab ask for theirs in the same render.
    for (const c of checks) batcher.get(c);
    batcher.get({ action: 'iam:DeleteUser', resource: userArn('admin') });
    await send();
    expect(requests).toHaveLength(1);
    expect(requests[0].length).toBeLessThanOrEqual(MAX_CHECKS_PER_REQUEST);
    expect(new Set(requests[0].map(checkKey)).size).toBe(requests[0].length);

    // The delete dialog, opened later, finds its answers there: no second request.
    const deleting = deleteUserChecks(view);
    const state = buttonState(deleting, deleting.map((c) => batcher.get(c)));
    await send();
    expect(requests).toHaveLength(1);
    // dave may remove admin from security, not from developers: the button says which step he may not do.
    expect(state).toEqual({ disabled: true, permission: 'denied', reason: 'Not allowed: you may not iam:DeleteLoginProfile' });
    const removeFromSecurity = { action: 'iam:RemoveUserFromGroup', resource: group('security').Arn };
    const removeFromDevelopers = { action: 'iam:RemoveUserFromGroup', resource: group('developers').Arn };
    expect(buttonState([removeFromSecurity], [batcher.get(removeFromSecurity)])).toEqual({ disabled: false, permission: 'allowed' });
    expect(buttonState([removeFromDevelopers], [batcher.get(removeFromDevelopers)])).toEqual({ disabled: true, permission: 'denied', reason: 'Not allowed: you may not iam:RemoveUserFromGroup' });
    // Delete user on admin's ARN: disabled.
    const del = { action: 'iam:DeleteUser', resource: userArn('admin') };
    expect(buttonState([del], [batcher.get(del)]).disabled).toBe(true);
  });

  it('leaves a button whose decision depends on values only the call gives (MissingContextKeys) enabled', async () => {
    const { batcher, send } = gateway(dave);
    const detach = { action: 'iam:DetachUserPolicy', resource: userArn('admin') };
    expect(buttonState([detach], [batcher.get(detach)])).toEqual({ disabled: false, permission: 'unknown' });
    await send();
    expect(batcher.get(detach)).toBe('unknown');
    expect(buttonState([detach], [batcher.get(detach)])).toEqual({ disabled: false, permission: 'unknown' });
    // While asking, nothing is disabled either.
    expect(buttonState([detach, { action: 'iam:GetUser', resource: '*' }], ['unknown', 'unknown']).disabled).toBe(false);
  });

  it('asks about each "Detach" button with its policy\'s ARN (iam:PolicyARN), so each is decided for its own policy', async () => {
    const view = admin([group('security')]);
    const readUsers = policyCheck('iam:DetachUserPolicy', userArn('admin'), `arn:aws:iam::${ACCOUNT}:policy/ReadUsers`);
    const adminAccess = policyCheck('iam:DetachUserPolicy', userArn('admin'), 'arn:aws:iam::aws:policy/AdministratorAccess');
    expect(userPageChecks(view)).toEqual(expect.arrayContaining([readUsers, adminAccess]));
    expect(deleteUserChecks(view)).toEqual(expect.arrayContaining([readUsers, adminAccess]));
    // Sent as AWS context entries, and kept apart: same action and resource, another policy.
    expect(checkRequest(readUsers)).toEqual({
      Action: 'iam:DetachUserPolicy',
      Resource: userArn('admin'),
      ContextEntries: [{ ContextKeyName: 'iam:PolicyARN', ContextKeyValues: [`arn:aws:iam::${ACCOUNT}:policy/ReadUsers`], ContextKeyType: 'string' }],
    });
    expect(checkRequest({ action: 'iam:GetUser', resource: '*' })).toEqual({ Action: 'iam:GetUser', Resource: '*' });
    expect(checkKey(readUsers)).not.toBe(checkKey(adminAccess));

    const { batcher, requests, send } = gateway(dave);
    for (const c of userPageChecks(view)) batcher.get(c);
    await send();
    expect(requests).toHaveLength(1);
    expect(buttonState([readUsers], [batcher.get(readUsers)])).toEqual({ disabled: false, permission: 'allowed' });
    expect(buttonState([adminAccess], [batcher.get(adminAccess)])).toEqual({ disabled: true, permission: 'denied', reason: 'Not allowed: you may not iam:DetachUserPolicy' });
    const security = { Group: group('security'), AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] };
    expect(groupPageChecks(security)).toContainEqual(policyCheck('iam:DetachGroupPolicy', group('security').Arn, 'arn:aws:iam::aws:policy/AdministratorAccess'));
    expect(deleteGroupChecks(security)).toContainEqual(policyCheck('iam:DetachGroupPolicy', group('security').Arn, 'arn:aws:iam::aws:policy/AdministratorAccess'));
  });

  it('splits a page of more than 100 checks (a user in 150 groups) into requests of at most 100, sent together', async () => {
    const view = admin(Array.from({ length: 150 }, (_, n) => group(`g${String(n).padStart(3, '0')}`)));
    const checks = userPageChecks(view);
    const { batcher, requests, send } = gateway(dave);
    for (const c of checks) batcher.get(c);
    await send();
    const unique = new Set(checks.map(checkKey)).size;
    expect(unique).toBeGreaterThan(MAX_CHECKS_PER_REQUEST);
    expect(requests.map((r) => r.length)).toEqual([MAX_CHECKS_PER_REQUEST, unique - MAX_CHECKS_PER_REQUEST]);
    expect(batcher.get({ action: 'iam:RemoveUserFromGroup', resource: group('g149').Arn })).toBe('denied');
  });

  it("asks what deleting a group or a policy takes, on the group's and the policy's ARN", () => {
    const security = group('security');
    expect(deleteGroupChecks({ Group: security, Users: [{}], AttachedPolicies: [], InlinePolicyNames: ['audit'] })).toEqual([
      { action: 'iam:RemoveUserFromGroup', resource: security.Arn },
      { action: 'iam:DeleteGroupPolicy', resource: security.Arn },
      { action: 'iam:DeleteGroup', resource: security.Arn },
    ]);
    expect(groupPageChecks({ Group: security }).every((c) => c.resource === security.Arn)).toBe(true);
    const policy = `arn:aws:iam::${ACCOUNT}:policy/ReadUsers`;
    expect(deletePolicyChecks(policy, [{ IsDefaultVersion: true }, { IsDefaultVersion: false }])).toEqual([
      { action: 'iam:DeletePolicyVersion', resource: policy },
      { action: 'iam:DeletePolicy', resource: policy },
    ]);
    expect(deletePolicyChecks(policy, undefined)).toEqual([{ action: 'iam:DeletePolicy', resource: policy }]);
  });
});
