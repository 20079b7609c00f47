import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { PasswordRules, usePasswordPolicy } from '../components/password-form';
import { AttachPolicyDialog, InlinePoliciesSection, type PolicyHolder } from '../components/principal-policies';
import { NewAccessKey, NewPassword } from '../components/secrets';
import { TagsEditor } from '../components/tags-editor';
import { Action, ActionsTableHead, Dialog, EntitySummary, ErrorMessage, Field, Loading, NotReadable, Notice, PageHeader, TabPanel, Tabs, useLoad } from '../components/ui';
import { Api, ApiError, seg } from '../lib/api';
import { generatePassword } from '../lib/generate-password';
import { formatDate, age } from '../lib/format';
import { meetsRules, passwordRules } from '../lib/password-rules';
import type { AccessKey, Group, PermissionSource, Tag, User, UserOverview } from '../lib/types';
import { userPageChecks, deleteUserChecks, policyCheck } from '../lib/page-checks';
import { useAccount, useApi, useCan } from '../session';

/** What the user page shows; a part the caller may not read is undefined. */
export type UserView = UserOverview;

async function settled<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'AccessDenied' || error.code === 'ServiceUnavailable')) return undefined;
    throw error;
  }
}

/**
 * The user in one request (the overview); when the caller may not read all of it, each part on
 * its own, leaving out the parts it may not read.
 */
export async function loadUser(api: Api, name: string): Promise<UserView> {
  const base = `/v1/users/${seg(name)}`;
  try {
    return await api.get<UserOverview>(`${base}/overview`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'AccessDenied') throw error;
  }
  const { User } = await api.get<{ User: User }>(base);
  const [Groups, AccessKeys, LoginProfile, AttachedPolicies, InlinePolicyNames] = await Promise.all([
    settled(api.all<Group, 'Groups'>(`${base}/groups`, 'Groups')),
    settled(api.all<AccessKey, 'AccessKeyMetadata'>(`${base}/access-keys`, 'AccessKeyMetadata')),
    settled(
      api.get<{ LoginProfile: { CreateDate: string; PasswordResetRequired: boolean } }>(`${base}/login-profile`).then(
        (r) => ({ Enabled: true, ...r.LoginProfile }),
        (e: unknown) => {
          if (e instanceof ApiError && e.code === 'NoSuchEntity') return { Enabled: false };
          throw e;
        },
      ),
    ),
    settled(api.all<{ PolicyName: string; PolicyArn: string }, 'AttachedPolicies'>(`${base}/attached-policies`, 'AttachedPolicies')),
    settled(api.all<string, 'PolicyNames'>(`${base}/policies`, 'PolicyNames')),
  ]);
  return { User, Groups, AccessKeys, LoginProfile, AttachedPolicies, InlinePolicyNames };
}

const TABS = [
  { id: 'permissions', label: 'Permissions' },
  { id: 'groups', label: 'Groups' },
  { id: 'credentials', label: 'Security credentials' },
  { id: 'effective', label: 'Effective permissions' },
  { id: 'tags', label: 'Tags' },
];

export function UserPage() {
  const { name = '' } = useParams();
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'permissions';
  const view = useLoad(() => loadUser(api, name), [api, name]);
  const [deleting, setDeleting] = useState(false);
  // Every button of the page, on every tab and in its dialogs, asked about at once.
  useCan(view.data ? userPageChecks(view.data) : []);

  if (view.loading && !view.data) return <Loading what={`Loading ${name}`} />;
  if (view.error || !view.data) {
    return (
      <>
        <PageHeader title={name} crumbs={<Link to="/users">Users</Link>} />
        <ErrorMessage error={view.error} />
      </>
    );
  }
  const v = view.data;
  const user = v.User;
  const check = (action: string) => ({ action, resource: user.Arn });
  return (
    <>
      <PageHeader title={user.UserName} crumbs={<Link to="/users">Users</Link>}>
        <Action variant="danger" check={check('iam:DeleteUser')} onClick={() => setDeleting(true)}>
          Delete user
        </Action>
      </PageHeader>
      <EntitySummary arn={user.Arn} path={user.Path} created={formatDate(user.CreateDate)}>
        <dt>Console access</dt>
        <dd>{v.LoginProfile ? (v.LoginProfile.Enabled ? `Enabled${v.LoginProfile.PasswordResetRequired ? ' (must change password)' : ''}` : 'Disabled') : '—'}</dd>
        <dt>Access keys</dt>
        <dd>{v.AccessKeys ? v.AccessKeys.map((k) => `${k.AccessKeyId} (${k.Status})`).join(', ') || 'None' : '—'}</dd>
      </EntitySummary>
      <Tabs label="User" tabs={TABS} selected={tab} onSelect={(id) => setParams({ tab: id }, { replace: true })} />
      <TabPanel id={tab}>
        {tab === 'permissions' && <PermissionsTab view={v} reload={view.reload} />}
        {tab === 'groups' && <GroupsTab view={v} reload={view.reload} />}
        {tab === 'credentials' && <CredentialsTab view={v} reload={view.reload} />}
        {tab === 'effective' && <EffectiveTab view={v} />}
        {tab === 'tags' && <TagsTab user={user} reload={view.reload} />}
      </TabPanel>
      {deleting && <DeleteUserDialog view={v} onClose={() => { setDeleting(false); view.reload(); }} />}
    </>
  );
}

function PermissionsTab({ view, reload }: { view: UserView; reload: () => void }) {
  const api = useApi();
  const user = view.User;
  const base = `/v1/users/${seg(user.UserName)}`;
  const check = (action: string) => ({ action, resource: user.Arn });
  const holder: PolicyHolder = { kind: 'User', name: user.UserName, arn: user.Arn, base };
  const [attaching, setAttaching] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <ErrorMessage error={error} />
      <h2>Attached managed policies</h2>
      {view.AttachedPolicies === undefined ? (
        <NotReadable what="this user's attached policies" action="iam:ListAttachedUserPolicies" />
      ) : (
        <table>
          <ActionsTableHead columns={['Policy', 'Type']} />
          <tbody>
            {view.AttachedPolicies.map((p) => (
              <tr key={p.PolicyArn}>
                <th scope="row">
                  <Link to={`/policies/${encodeURIComponent(p.PolicyArn)}`}>{p.PolicyName}</Link>
                </th>
                <td>{p.PolicyArn.startsWith('arn:aws:iam::aws:') ? 'AWS managed' : 'Customer managed'}</td>
                <td>
                  <Action check={policyCheck('iam:DetachUserPolicy', user.Arn, p.PolicyArn)} variant="link" onClick={() => void run(() => api.delete(`${base}/attached-policies/${seg(p.PolicyArn)}`))}>
                    Detach <span className="visually-hidden">{p.PolicyName}</span>
                  </Action>
                </td>
              </tr>
            ))}
            {view.AttachedPolicies.length === 0 && (
              <tr>
                <td colSpan={3} className="muted">
                  None.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <Action check={check('iam:AttachUserPolicy')} onClick={() => setAttaching(true)}>
        Attach policy
      </Action>
      <InlinePoliciesSection holder={holder} names={view.InlinePolicyNames} run={run} reload={reload} />
      <AttachPolicyDialog holder={holder} attached={view.AttachedPolicies} open={attaching} onClose={() => setAttaching(false)} run={run} />
    </>
  );
}

function GroupsTab({ view, reload }: { view: UserView; reload: () => void }) {
  const api = useApi();
  const user = view.User;
  const all = useLoad(() => api.all<Group, 'Groups'>('/v1/groups', 'Groups'), [api]);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [adding, setAdding] = useState('');
  const [moving, setMoving] = useState<Group | undefined>();
  const [moveTo, setMoveTo] = useState('');
  const member = (g: Group) => `/v1/groups/${seg(g.GroupName)}/members/${seg(user.UserName)}`;
  const current = view.Groups ?? [];
  const others = (all.data ?? []).filter((g) => !current.some((c) => c.GroupId === g.GroupId));
  const byName = (n: string) => (all.data ?? []).find((g) => g.GroupName === n);
  const run = async (work: () => Promise<unknown>, done: string) => {
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
      setNotice(done);
      reload();
    } catch (e) {
      setError(e);
    }
  };
  /** Moving: added to the new group first, then removed from the old one, so no grant is lost in between. */
  const move = async (from: Group, to: Group) => {
    await api.put(member(to));
    try {
      await api.delete(member(from));
    } catch (e) {
      throw new ApiError(e instanceof ApiError ? e.code : 'ServiceFailure', `${user.UserName} was added to ${to.GroupName} but is still in ${from.GroupName}: ${(e as Error).message}`, e instanceof ApiError ? e.status : 500);
    }
  };
  if (view.Groups === undefined) return <NotReadable what="this user's groups" action="iam:ListGroupsForUser" />;
  return (
    <>
      <ErrorMessage error={error} />
      {notice && <Notice kind="success">{notice}</Notice>}
      <table>
        <caption className="visually-hidden">Groups of {user.UserName}</caption>
        <ActionsTableHead columns={['Group']} />
        <tbody>
          {current.map((g) => (
            <tr key={g.GroupId}>
              <th scope="row">
                <Link to={`/groups/${encodeURIComponent(g.GroupName)}`}>{g.GroupName}</Link>
              </th>
              <td className="row-actions">
                <Action check={{ action: 'iam:RemoveUserFromGroup', resource: g.Arn }} variant="link" onClick={() => void run(() => api.delete(member(g)), `Removed from ${g.GroupName}.`)}>
                  Remove <span className="visually-hidden">from {g.GroupName}</span>
                </Action>
                <Action check={{ action: 'iam:RemoveUserFromGroup', resource: g.Arn }} variant="link" onClick={() => { setMoving(g); setMoveTo(''); }}>
                  Move <span className="visually-hidden">from {g.GroupName}</span> to another group
                </Action>
              </td>
            </tr>
          ))}
          {current.length === 0 && (
            <tr>
              <td colSpan={2} className="muted">
                Not in any group.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          const g = byName(adding);
          if (g) void run(() => api.put(member(g)), `Added to ${g.GroupName}.`);
        }}
      >
        <label htmlFor="add-group">Add to group</label>
        <select id="add-group" value={adding} onChange={(e) => setAdding(e.target.value)}>
          <option value="">Choose a group…</option>
          {others.map((g) => (
            <option key={g.GroupId} value={g.GroupName}>
              {g.GroupName}
            </option>
          ))}
        </select>
        <Action type="submit" check={byName(adding) ? { action: 'iam:AddUserToGroup', resource: (byName(adding) as Group).Arn } : undefined} disabled={!adding}>
          Add
        </Action>
      </form>
      <ErrorMessage error={all.error} />
      <Dialog title={moving ? `Move ${user.UserName} out of ${moving.GroupName}` : 'Move'} open={moving !== undefined} onClose={() => setMoving(undefined)}>
        {moving && (
          <form
            className="form"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              const to = byName(moveTo);
              if (!to) return;
              setMoving(undefined);
              void run(() => move(moving, to), `Moved from ${moving.GroupName} to ${to.GroupName}.`);
            }}
          >
            <p>
              {user.UserName} leaves <strong>{moving.GroupName}</strong> and joins the group you choose, in one step.
            </p>
            <Field label="Move to group">
              {(id) => (
                <select id={id} value={moveTo} onChange={(e) => setMoveTo(e.target.value)}>
                  <option value="">Choose a group…</option>
                  {others.map((g) => (
                    <option key={g.GroupId} value={g.GroupName}>
                      {g.GroupName}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <div className="form-actions">
              <Action
                type="submit"
                variant="primary"
                disabled={!moveTo}
                checks={[{ action: 'iam:RemoveUserFromGroup', resource: moving.Arn }, ...(byName(moveTo) ? [{ action: 'iam:AddUserToGroup', resource: (byName(moveTo) as Group).Arn }] : [])]}
              >
                Move
              </Action>
              <button type="button" className="btn btn-secondary" onClick={() => setMoving(undefined)}>
                Cancel
              </button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}

function CredentialsTab({ view, reload }: { view: UserView; reload: () => void }) {
  const api = useApi();
  const account = useAccount();
  const user = view.User;
  const base = `/v1/users/${seg(user.UserName)}`;
  const check = (action: string) => ({ action, resource: user.Arn });
  const { policy, readable } = usePasswordPolicy();
  const [error, setError] = useState<unknown>();
  const [newKey, setNewKey] = useState<AccessKey & { SecretAccessKey: string }>();
  const [shownPassword, setShownPassword] = useState<{ value: string; mustChange: boolean }>();
  const [editing, setEditing] = useState(false);
  const [generated, setGenerated] = useState(true);
  const [custom, setCustom] = useState('');
  const [mustChange, setMustChange] = useState(true);
  const [lastUsed, setLastUsed] = useState<Record<string, string>>({});
  const run = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const enabled = view.LoginProfile?.Enabled === true;
  const savePassword = async () => {
    const value = generated ? generatePassword(policy) : custom;
    if (enabled) await api.patch(`${base}/login-profile`, { Password: value, PasswordResetRequired: mustChange });
    else await api.post(`${base}/login-profile`, { Password: value, PasswordResetRequired: mustChange });
    setShownPassword({ value, mustChange });
    setEditing(false);
  };
  return (
    <>
      <ErrorMessage error={error} />
      <h2>Console sign-in</h2>
      {view.LoginProfile === undefined ? (
        <NotReadable what="whether this user has a console password" action="iam:GetLoginProfile" />
      ) : (
        <p>
          Console password: <strong>{enabled ? 'enabled' : 'not set'}</strong>
          {enabled && view.LoginProfile.CreateDate ? `, set ${age(view.LoginProfile.CreateDate)}` : ''}
          {view.LoginProfile.PasswordResetRequired ? ' — must be changed at next sign-in' : ''}
        </p>
      )}
      {shownPassword && <NewPassword userName={user.UserName} password={shownPassword.value} mustChange={shownPassword.mustChange} />}
      <div className="button-row">
        <Action check={check(enabled ? 'iam:UpdateLoginProfile' : 'iam:CreateLoginProfile')} onClick={() => setEditing(true)}>
          {enabled ? 'Reset password' : 'Enable console access'}
        </Action>
        {enabled && !view.LoginProfile?.PasswordResetRequired && (
          <Action check={check('iam:UpdateLoginProfile')} onClick={() => void run(() => api.patch(`${base}/login-profile`, { PasswordResetRequired: true }))}>
            Require password change
          </Action>
        )}
        {enabled && (
          <Action variant="danger" check={check('iam:DeleteLoginProfile')} onClick={() => void run(() => api.delete(`${base}/login-profile`))}>
            Remove console password
          </Action>
        )}
      </div>
      <Dialog title={enabled ? `Reset ${user.UserName}'s password` : `Enable console access for ${user.UserName}`} open={editing} onClose={() => setEditing(false)}>
        <div className="form">
          <div className="check">
            <input id="reset-generated" type="radio" name="reset-pw" checked={generated} onChange={() => setGenerated(true)} />
            <label htmlFor="reset-generated">Autogenerated password</label>
          </div>
          <div className="check">
            <input id="reset-custom" type="radio" name="reset-pw" checked={!generated} onChange={() => setGenerated(false)} />
            <label htmlFor="reset-custom">Custom password</label>
          </div>
          {!generated && (
            <>
              <Field label="Password">{(id) => <input id={id} type="password" autoComplete="new-password" value={custom} onChange={(e) => setCustom(e.target.value)} />}</Field>
              <PasswordRules password={custom} policy={policy} readable={readable} userName={user.UserName} accountId={account} />
            </>
          )}
          <div className="check">
            <input id="reset-must-change" type="checkbox" checked={mustChange} onChange={(e) => setMustChange(e.target.checked)} />
            <label htmlFor="reset-must-change">User must create a new password at next sign-in</label>
          </div>
          <div className="form-actions">
            <Action
              variant="primary"
              check={check(enabled ? 'iam:UpdateLoginProfile' : 'iam:CreateLoginProfile')}
              disabled={!generated && !meetsRules(passwordRules(custom, policy, { userName: user.UserName, accountId: account }))}
              onClick={() => void run(savePassword)}
            >
              {enabled ? 'Reset password' : 'Enable'}
            </Action>
            <button type="button" className="btn btn-secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </div>
      </Dialog>
      <h2>Access keys</h2>
      {newKey && <NewAccessKey accessKey={newKey} />}
      {view.AccessKeys === undefined ? (
        <NotReadable what="this user's access keys" action="iam:ListAccessKeys" />
      ) : (
        <div className="table-wrap">
          <table>
            <ActionsTableHead columns={['Access key ID', 'Status', 'Created', 'Last used']} />
            <tbody>
              {view.AccessKeys.map((k) => (
                <tr key={k.AccessKeyId}>
                  <th scope="row">
                    <code>{k.AccessKeyId}</code>
                  </th>
                  <td>{k.Status}</td>
                  <td>{formatDate(k.CreateDate)}</td>
                  <td>
                    {lastUsed[k.AccessKeyId] ?? (
                      <Action
                        check={check('iam:GetAccessKeyLastUsed')}
                        variant="link"
                        onClick={() =>
                          void api
                            .get<{ AccessKeyLastUsed: { LastUsedDate?: string; ServiceName: string; Region: string } }>(`/v1/access-keys/${seg(k.AccessKeyId)}/last-used`)
                            .then((r) => setLastUsed((m) => ({ ...m, [k.AccessKeyId]: r.AccessKeyLastUsed.LastUsedDate ? `${formatDate(r.AccessKeyLastUsed.LastUsedDate)} (${r.AccessKeyLastUsed.ServiceName}, ${r.AccessKeyLastUsed.Region})` : 'Never used' })), setError)
                        }
                      >
                        Show <span className="visually-hidden">when {k.AccessKeyId} was last used</span>
                      </Action>
                    )}
                  </td>
                  <td className="row-actions">
                    <Action check={check('iam:UpdateAccessKey')} variant="link" onClick={() => void run(() => api.patch(`${base}/access-keys/${seg(k.AccessKeyId)}`, { Status: k.Status === 'Active' ? 'Inactive' : 'Active' }))}>
                      {k.Status === 'Active' ? 'Deactivate' : 'Activate'} <span className="visually-hidden">{k.AccessKeyId}</span>
                    </Action>
                    <Action check={check('iam:DeleteAccessKey')} variant="link" onClick={() => void run(() => api.delete(`${base}/access-keys/${seg(k.AccessKeyId)}`))}>
                      Delete <span className="visually-hidden">{k.AccessKeyId}</span>
                    </Action>
                  </td>
                </tr>
              ))}
              {view.AccessKeys.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    No access keys.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <Action
        check={check('iam:CreateAccessKey')}
        disabled={(view.AccessKeys?.length ?? 0) >= 2}
        onClick={() => void run(async () => setNewKey((await api.post<{ AccessKey: AccessKey & { SecretAccessKey: string } }>(`${base}/access-keys`)).AccessKey))}
      >
        Create access key
      </Action>
      {(view.AccessKeys?.length ?? 0) >= 2 && <p className="muted small">A user has at most two access keys: delete one to create another.</p>}
    </>
  );
}

function EffectiveTab({ view }: { view: UserView }) {
  const api = useApi();
  const user = view.User;
  const [action, setAction] = useState('');
  const [resource, setResource] = useState('*');
  const [result, setResult] = useState<{ Decision: string; MatchedStatements: Array<{ PolicyName: string; Sid?: string; Effect: string; StatementIndex: number; PolicyType: string }>; MissingContextKeys: string[] }>();
  const [error, setError] = useState<unknown>();
  const sources: PermissionSource[] | undefined = view.EffectivePermissions;
  return (
    <>
      <h2>Check an action</h2>
      <form
        className="inline-form wrap"
        onSubmit={async (e: FormEvent) => {
          e.preventDefault();
          setError(undefined);
          setResult(undefined);
          try {
            setResult(await api.post('/v1/authorize', { Principal: user.Arn, Action: action.trim(), Resource: resource.trim() || '*' }));
          } catch (err) {
            setError(err);
          }
        }}
      >
        <label htmlFor="eff-action">Action</label>
        <input id="eff-action" value={action} onChange={(e) => setAction(e.target.value)} placeholder="iam:ListGroups" />
        <label htmlFor="eff-resource">Resource</label>
        <input id="eff-resource" value={resource} onChange={(e) => setResource(e.target.value)} />
        <Action type="submit" check={{ action: 'iam:SimulatePrincipalPolicy', resource: user.Arn }} disabled={!action.includes(':')}>
          Check
        </Action>
      </form>
      <ErrorMessage error={error} />
      {result && (
        <div className={`decision decision-${result.Decision}`} role="status">
          <strong>{result.Decision === 'allowed' ? 'Allowed' : result.Decision === 'explicitDeny' ? 'Denied by an explicit Deny' : 'Not allowed (no statement allows it)'}</strong>
          <ul>
            {result.MatchedStatements.map((s, i) => (
              <li key={i}>
                {s.Effect} by statement {s.Sid ? `"${s.Sid}"` : `#${s.StatementIndex + 1}`} of {s.PolicyName} ({s.PolicyType})
              </li>
            ))}
          </ul>
          {result.MissingContextKeys.length > 0 && <p className="muted">Depends on: {result.MissingContextKeys.join(', ')}</p>}
        </div>
      )}
      <h2>Every statement that applies to {user.UserName}</h2>
      {sources === undefined ? (
        <NotReadable what="this user's effective permissions" action="iam:SimulatePrincipalPolicy" />
      ) : sources.length === 0 ? (
        <p className="muted">No policy applies: everything is denied.</p>
      ) : (
        sources.map((source, i) => (
          <section key={i} className="card source">
            <h3>
              {source.PolicyName} <span className="muted small">{source.PolicyType === 'inline' || source.PolicyType === 'user' || source.PolicyType === 'group' ? 'inline' : 'managed'}</span>
            </h3>
            <p className="muted small">{source.Via === 'group' ? `Through the group ${source.GroupName}` : 'Attached to the user'}{source.VersionId ? `, version ${source.VersionId}` : ''}</p>
            {source.Statements.map((s) => (
              <div key={s.StatementIndex} className={`statement statement-${s.Effect.toLowerCase()}`}>
                <span className="effect">{s.Effect}</span> {s.Sid ? <span className="muted">Sid {s.Sid}</span> : null}
                <pre>{s.Statement}</pre>
              </div>
            ))}
          </section>
        ))
      )}
    </>
  );
}

function TagsTab({ user, reload }: { user: User; reload: () => void }) {
  const api = useApi();
  const [tags, setTags] = useState<Tag[]>(user.Tags ?? []);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const base = `/v1/users/${seg(user.UserName)}`;
  const save = async () => {
    setError(undefined);
    setSaved(false);
    try {
      const keep = tags.filter((t) => t.Key.trim() !== '');
      const removed = (user.Tags ?? []).filter((t) => !keep.some((k) => k.Key === t.Key)).map((t) => t.Key);
      if (removed.length) await api.delete(`${base}/tags`, { keys: removed.join(',') });
      if (keep.length) await api.post(`${base}/tags`, { Tags: keep });
      setSaved(true);
      reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <TagsEditor tags={tags} onChange={setTags} />
      <ErrorMessage error={error} />
      {saved && <Notice kind="success">Tags saved.</Notice>}
      <Action variant="primary" checks={[{ action: 'iam:TagUser', resource: user.Arn }]} onClick={() => void save()}>
        Save tags
      </Action>
    </>
  );
}

/** Deleting a user: what must go first (AWS refuses otherwise), removed step by step. */
function DeleteUserDialog({ view, onClose }: { view: UserView; onClose: () => void }) {
  const api = useApi();
  const navigate = useNavigate();
  const user = view.User;
  const base = `/v1/users/${seg(user.UserName)}`;
  const [progress, setProgress] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const steps: Array<{ label: string; run: () => Promise<unknown> }> = [
    ...(view.LoginProfile?.Enabled ? [{ label: 'Remove the console password', run: () => api.delete(`${base}/login-profile`) }] : []),
    ...(view.AccessKeys ?? []).map((k) => ({ label: `Delete access key ${k.AccessKeyId}`, run: () => api.delete(`${base}/access-keys/${seg(k.AccessKeyId)}`) })),
    ...(view.Groups ?? []).map((g) => ({ label: `Remove from group ${g.GroupName}`, run: () => api.delete(`/v1/groups/${seg(g.GroupName)}/members/${seg(user.UserName)}`) })),
    ...(view.AttachedPolicies ?? []).map((p) => ({ label: `Detach ${p.PolicyName}`, run: () => api.delete(`${base}/attached-policies/${seg(p.PolicyArn)}`) })),
    ...(view.InlinePolicyNames ?? []).map((n) => ({ label: `Delete inline policy ${n}`, run: () => api.delete(`${base}/policies/${seg(n)}`) })),
  ];
  const unknown = [view.LoginProfile, view.AccessKeys, view.Groups, view.AttachedPolicies, view.InlinePolicyNames].some((part) => part === undefined);
  const go = async () => {
    setBusy(true);
    setError(undefined);
    try {
      for (const step of steps) {
        await step.run();
        setProgress((p) => [...p, step.label]);
      }
      await api.delete(base);
      navigate('/users');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Delete ${user.UserName}`} open onClose={onClose}>
      {steps.length > 0 ? (
        <>
          <p>A user is deleted only once nothing is left on it. These go first:</p>
          <ol className="steps">
            {steps.map((s) => (
              <li key={s.label} className={progress.includes(s.label) ? 'done' : undefined}>
                {s.label}
                {progress.includes(s.label) ? ' — done' : ''}
              </li>
            ))}
            <li>Delete the user</li>
          </ol>
        </>
      ) : (
        <p>{user.UserName} has no password, keys, groups or policies left: it can be deleted.</p>
      )}
      {unknown && <Notice kind="warning">You may not read everything this user has; the deletion may be refused if something is left.</Notice>}
      <ErrorMessage error={error} />
      <div className="form-actions">
        <Action variant="danger" checks={deleteUserChecks(view)} disabled={busy} onClick={() => void go()}>
          {steps.length ? 'Remove these and delete the user' : 'Delete the user'}
        </Action>
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
