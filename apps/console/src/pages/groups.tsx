import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { AttachPolicyDialog, InlinePoliciesSection, type PolicyHolder } from '../components/principal-policies';
import { Action, Dialog, EntitySummary, ErrorMessage, Field, Loading, NotReadable, PageHeader, useLoad } from '../components/ui';
import { ApiError, seg } from '../lib/api';
import { arn } from '../lib/arn';
import { formatDate } from '../lib/format';
import type { AttachedPolicy, Group, User } from '../lib/types';
import { deleteGroupChecks, groupPageChecks, policyCheck } from '../lib/page-checks';
import { useAccount, useApi, useCan } from '../session';

export function GroupsPage() {
  const api = useApi();
  const account = useAccount();
  const navigate = useNavigate();
  const groups = useLoad(() => api.all<Group, 'Groups'>('/v1/groups', 'Groups'), [api]);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [path, setPath] = useState('/');
  const [error, setError] = useState<unknown>();
  const shown = useMemo(() => (groups.data ?? []).filter((g) => g.GroupName.toLowerCase().includes(search.trim().toLowerCase())), [groups.data, search]);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const { Group } = await api.post<{ Group: Group }>('/v1/groups', { GroupName: name.trim(), ...(path && path !== '/' ? { Path: path } : {}) });
      setCreating(false);
      navigate(`/groups/${encodeURIComponent(Group.GroupName)}`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <PageHeader title="Groups">
        <Action variant="primary" check={{ action: 'iam:CreateGroup', resource: arn.group(account, '/', '*') }} onClick={() => { setName(''); setPath('/'); setCreating(true); }}>
          Create group
        </Action>
      </PageHeader>
      <div className="filters">
        <div className="field inline">
          <label htmlFor="group-search">Search by name</label>
          <input id="group-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
      </div>
      {groups.loading && !groups.data && <Loading what="Loading groups" />}
      <ErrorMessage error={groups.error} />
      {groups.data && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Groups</caption>
            <thead>
              <tr>
                <th scope="col">Group name</th>
                <th scope="col">Path</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((g) => (
                <tr key={g.GroupId}>
                  <th scope="row">
                    <Link to={`/groups/${encodeURIComponent(g.GroupName)}`}>{g.GroupName}</Link>
                  </th>
                  <td>{g.Path}</td>
                  <td>{formatDate(g.CreateDate)}</td>
                </tr>
              ))}
              {shown.length === 0 && (
                <tr>
                  <td colSpan={3} className="muted">
                    No groups.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <Dialog title="Create group" open={creating} onClose={() => setCreating(false)}>
        <form className="form" onSubmit={create} noValidate>
          <Field label="Group name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required autoFocus />}</Field>
          <Field label="Path">{(id) => <input id={id} value={path} onChange={(e) => setPath(e.target.value)} />}</Field>
          <ErrorMessage error={error} />
          <div className="form-actions">
            <Action type="submit" variant="primary" check={{ action: 'iam:CreateGroup', resource: arn.group(account, path || '/', name || '*') }} disabled={name.trim() === ''}>
              Create group
            </Action>
            <button type="button" className="btn btn-secondary" onClick={() => setCreating(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

interface GroupView {
  Group: Group;
  Users?: User[];
  AttachedPolicies?: AttachedPolicy[];
  InlinePolicyNames?: string[];
}

async function loadGroup(api: ReturnType<typeof useApi>, name: string): Promise<GroupView> {
  const base = `/v1/groups/${seg(name)}`;
  try {
    return await api.get<GroupView>(`${base}/overview`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'AccessDenied') throw error;
  }
  const optional = <T,>(p: Promise<T>) => p.catch((e: unknown) => (e instanceof ApiError && e.code === 'AccessDenied' ? undefined : Promise.reject(e)));
  const first = await api.get<{ Group: Group; Users: User[]; nextCursor?: string }>(base, { limit: 1000 });
  const [Users, AttachedPolicies, InlinePolicyNames] = await Promise.all([
    first.nextCursor ? api.all<User, 'Users'>(`${base}/members`, 'Users') : Promise.resolve(first.Users),
    optional(api.all<AttachedPolicy, 'AttachedPolicies'>(`${base}/attached-policies`, 'AttachedPolicies')),
    optional(api.all<string, 'PolicyNames'>(`${base}/policies`, 'PolicyNames')),
  ]);
  return { Group: first.Group, Users, AttachedPolicies, InlinePolicyNames };
}

export function GroupPage() {
  const { name = '' } = useParams();
  const api = useApi();
  const account = useAccount();
  const navigate = useNavigate();
  const view = useLoad(() => loadGroup(api, name), [api, name]);
  const [error, setError] = useState<unknown>();
  const [adding, setAdding] = useState('');
  const [attaching, setAttaching] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [newName, setNewName] = useState('');
  const [deleting, setDeleting] = useState(false);
  // Every button of the page and of its dialogs, asked about at once.
  useCan(view.data ? groupPageChecks(view.data) : []);
  if (view.loading && !view.data) return <Loading what={`Loading ${name}`} />;
  if (!view.data) {
    return (
      <>
        <PageHeader title={name} crumbs={<Link to="/groups">Groups</Link>} />
        <ErrorMessage error={view.error} />
      </>
    );
  }
  const v = view.data;
  const group = v.Group;
  const base = `/v1/groups/${seg(group.GroupName)}`;
  const check = (action: string) => ({ action, resource: group.Arn });
  const holder: PolicyHolder = { kind: 'Group', name: group.GroupName, arn: group.Arn, base };
  const run = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      view.reload();
    } catch (e) {
      setError(e);
    }
  };
  const removeAll = async () => {
    for (const u of v.Users ?? []) await api.delete(`${base}/members/${seg(u.UserName)}`);
    for (const p of v.AttachedPolicies ?? []) await api.delete(`${base}/attached-policies/${seg(p.PolicyArn)}`);
    for (const n of v.InlinePolicyNames ?? []) await api.delete(`${base}/policies/${seg(n)}`);
    await api.delete(base);
    navigate('/groups');
  };
  return (
    <>
      <PageHeader title={group.GroupName} crumbs={<Link to="/groups">Groups</Link>}>
        <Action checks={[check('iam:UpdateGroup')]} onClick={() => { setNewName(group.GroupName); setRenaming(true); }}>
          Rename
        </Action>
        <Action variant="danger" check={check('iam:DeleteGroup')} onClick={() => setDeleting(true)}>
          Delete group
        </Action>
      </PageHeader>
      <EntitySummary arn={group.Arn} path={group.Path} created={formatDate(group.CreateDate)} />
      <ErrorMessage error={error} />
      <h2>Members</h2>
      {v.Users === undefined ? (
        <NotReadable what="this group's members" action="iam:GetGroup" />
      ) : (
        <ul className="plain members">
          {v.Users.map((u) => (
            <li key={u.UserId}>
              <Link to={`/users/${encodeURIComponent(u.UserName)}`}>{u.UserName}</Link>{' '}
              <Action variant="link" check={check('iam:RemoveUserFromGroup')} onClick={() => void run(() => api.delete(`${base}/members/${seg(u.UserName)}`))}>
                Remove <span className="visually-hidden">{u.UserName}</span>
              </Action>
            </li>
          ))}
          {v.Users.length === 0 && <li className="muted">No members.</li>}
        </ul>
      )}
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (adding.trim()) void run(() => api.put(`${base}/members/${seg(adding.trim())}`)).then(() => setAdding(''));
        }}
      >
        <label htmlFor="add-member">Add user by name</label>
        <input id="add-member" value={adding} onChange={(e) => setAdding(e.target.value)} />
        <Action type="submit" check={check('iam:AddUserToGroup')} disabled={adding.trim() === ''}>
          Add user
        </Action>
      </form>
      <h2>Attached managed policies</h2>
      {v.AttachedPolicies === undefined ? (
        <NotReadable what="this group's attached policies" action="iam:ListAttachedGroupPolicies" />
      ) : (
        <ul className="plain">
          {v.AttachedPolicies.map((p) => (
            <li key={p.PolicyArn}>
              <Link to={`/policies/${encodeURIComponent(p.PolicyArn)}`}>{p.PolicyName}</Link>{' '}
              <Action variant="link" check={policyCheck('iam:DetachGroupPolicy', group.Arn, p.PolicyArn)} onClick={() => void run(() => api.delete(`${base}/attached-policies/${seg(p.PolicyArn)}`))}>
                Detach <span className="visually-hidden">{p.PolicyName}</span>
              </Action>
            </li>
          ))}
          {v.AttachedPolicies.length === 0 && <li className="muted">None.</li>}
        </ul>
      )}
      <Action check={check('iam:AttachGroupPolicy')} onClick={() => setAttaching(true)}>
        Attach policy
      </Action>
      <InlinePoliciesSection holder={holder} names={v.InlinePolicyNames} run={run} reload={view.reload} />
      <AttachPolicyDialog holder={holder} attached={v.AttachedPolicies} open={attaching} onClose={() => setAttaching(false)} run={run} />
      <Dialog title={`Rename ${group.GroupName}`} open={renaming} onClose={() => setRenaming(false)}>
        <form
          className="form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            setRenaming(false);
            void run(async () => {
              await api.patch(base, { NewGroupName: newName.trim() });
              navigate(`/groups/${encodeURIComponent(newName.trim())}`, { replace: true });
            });
          }}
        >
          <Field label="New group name">{(id) => <input id={id} value={newName} onChange={(e) => setNewName(e.target.value)} autoFocus />}</Field>
          <div className="form-actions">
            <Action type="submit" variant="primary" checks={[check('iam:UpdateGroup'), { action: 'iam:UpdateGroup', resource: arn.group(account, group.Path, newName.trim() || '*') }]} disabled={newName.trim() === '' || newName.trim() === group.GroupName}>
              Rename
            </Action>
            <button type="button" className="btn btn-secondary" onClick={() => setRenaming(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Dialog>
      <Dialog title={`Delete ${group.GroupName}`} open={deleting} onClose={() => setDeleting(false)}>
        <p>
          A group is deleted only once it has no members and no policies: {v.Users?.length ?? '?'} members, {v.AttachedPolicies?.length ?? '?'} attached and {v.InlinePolicyNames?.length ?? '?'} inline policies go first.
        </p>
        <div className="form-actions">
          <Action variant="danger" checks={deleteGroupChecks(v)} onClick={() => { setDeleting(false); void run(removeAll); }}>
            Remove these and delete the group
          </Action>
          <button type="button" className="btn btn-secondary" onClick={() => setDeleting(false)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </>
  );
}
