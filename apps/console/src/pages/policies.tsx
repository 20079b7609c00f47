import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { EXAMPLE_POLICY, PolicyEditor } from '../components/policy-editor';
import { Action, ActionLink, ActionsTableHead, ErrorMessage, Field, Loading, NotReadable, PageHeader, useListParams, useLoad } from '../components/ui';
import { ApiError, seg } from '../lib/api';
import { arn, isAwsManaged } from '../lib/arn';
import { formatDate, pageOf } from '../lib/format';
import { editorProblems, NO_PROBLEMS, type EditorProblems } from '../lib/policy-errors';
import type { ManagedPolicy, PolicyVersion } from '../lib/types';
import { deletePolicyChecks, policyPageChecks } from '../lib/page-checks';
import { useAccount, useApi, useCan } from '../session';
import { Pager } from './users';

function pretty(document: string | undefined): string {
  if (!document) return '';
  try {
    return JSON.stringify(JSON.parse(document), null, 2);
  } catch {
    return document;
  }
}

/** Customer and AWS managed policies: the whole catalogue, searched by name. */
export function PoliciesPage() {
  const api = useApi();
  const account = useAccount();
  const [params, set] = useListParams();
  const scope = params.get('scope') ?? 'All';
  const search = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const policies = useLoad(() => api.all<ManagedPolicy, 'Policies'>('/v1/policies', 'Policies', { scope }), [api, scope]);
  const filtered = useMemo(() => (policies.data ?? []).filter((p) => p.PolicyName.toLowerCase().includes(search.trim().toLowerCase())), [policies.data, search]);
  const shown = pageOf(filtered, page, 50);
  return (
    <>
      <PageHeader title="Policies">
        <ActionLink to="/policies/new" check={{ action: 'iam:CreatePolicy', resource: arn.policy(account, '/', '*') }}>
          Create policy
        </ActionLink>
      </PageHeader>
      <div className="filters" role="search">
        <div className="field inline">
          <label htmlFor="policy-filter">Search by name</label>
          <input id="policy-filter" type="search" value={search} onChange={(e) => set('q', e.target.value)} />
        </div>
        <div className="field inline">
          <label htmlFor="policy-scope">Type</label>
          <select id="policy-scope" value={scope} onChange={(e) => set('scope', e.target.value)}>
            <option value="All">All</option>
            <option value="Local">Customer managed</option>
            <option value="AWS">AWS managed</option>
          </select>
        </div>
      </div>
      {policies.loading && !policies.data && <Loading what="Loading policies" />}
      <ErrorMessage error={policies.error} />
      {policies.data && (
        <>
          <p className="muted">{filtered.length} policies</p>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Policies</caption>
              <thead>
                <tr>
                  <th scope="col">Policy name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Attached to</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {shown.items.map((p) => (
                  <tr key={p.Arn}>
                    <th scope="row">
                      <Link to={`/policies/${encodeURIComponent(p.Arn)}`}>{p.PolicyName}</Link>
                    </th>
                    <td>{isAwsManaged(p.Arn) ? 'AWS managed' : 'Customer managed'}</td>
                    <td>{p.AttachmentCount}</td>
                    <td className="muted">{p.Description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={shown.page} pages={shown.pages} onPage={(p) => set('page', String(p))} />
        </>
      )}
    </>
  );
}

export function CreatePolicyPage() {
  const api = useApi();
  const account = useAccount();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [text, setText] = useState(EXAMPLE_POLICY);
  const [problems, setProblems] = useState<EditorProblems>(NO_PROBLEMS);
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setProblems(NO_PROBLEMS);
    try {
      const { Policy } = await api.post<{ Policy: ManagedPolicy }>('/v1/policies', { PolicyName: name.trim(), PolicyDocument: text, ...(description ? { Description: description } : {}) });
      navigate(`/policies/${encodeURIComponent(Policy.Arn)}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'MalformedPolicyDocument') setProblems(editorProblems(e, text));
      else setError(e);
    }
  };
  return (
    <>
      <PageHeader title="Create policy" crumbs={<Link to="/policies">Policies</Link>} />
      <form className="form wide" onSubmit={submit} noValidate>
        <Field label="Policy name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
        <Field label="Description (optional)">{(id) => <input id={id} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
        <PolicyEditor value={text} onChange={(t) => { setText(t); setProblems(NO_PROBLEMS); }} problems={problems} />
        <ErrorMessage error={error} />
        <div className="form-actions">
          <Action type="submit" variant="primary" check={{ action: 'iam:CreatePolicy', resource: arn.policy(account, '/', name.trim() || '*') }} disabled={name.trim() === ''}>
            Create policy
          </Action>
        </div>
      </form>
    </>
  );
}

export function PolicyPage() {
  const { arn: encoded = '' } = useParams();
  const policyArn = decodeURIComponent(encoded);
  const api = useApi();
  const navigate = useNavigate();
  const base = `/v1/policies/${seg(policyArn)}`;
  const policy = useLoad(() => api.get<{ Policy: ManagedPolicy }>(base).then((r) => r.Policy), [api, policyArn]);
  const versions = useLoad(() => api.get<{ Versions: PolicyVersion[] }>(`${base}/versions`).then((r) => r.Versions), [api, policyArn]);
  const entities = useLoad(() => api.get<{ PolicyGroups: Array<{ GroupName: string }>; PolicyUsers: Array<{ UserName: string }> }>(`${base}/entities`, { limit: 1000 }), [api, policyArn]);
  const [viewing, setViewing] = useState<string>();
  const defaultVersion = versions.data?.find((v) => v.IsDefaultVersion)?.VersionId ?? policy.data?.DefaultVersionId;
  const shownVersion = viewing ?? defaultVersion;
  const document = useLoad(
    () => (shownVersion ? api.get<{ PolicyVersion: PolicyVersion }>(`${base}/versions/${shownVersion}`).then((r) => r.PolicyVersion) : Promise.resolve(undefined)),
    [api, policyArn, shownVersion],
  );
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [asDefault, setAsDefault] = useState(true);
  const [problems, setProblems] = useState<EditorProblems>(NO_PROBLEMS);
  const [error, setError] = useState<unknown>();
  // Every button of the page asked about at once (an AWS managed policy has none).
  useCan(isAwsManaged(policyArn) ? [] : policyPageChecks(policyArn, versions.data));
  const check = (action: string) => ({ action, resource: policyArn });
  const aws = isAwsManaged(policyArn);
  const reload = () => {
    policy.reload();
    versions.reload();
    entities.reload();
  };
  const run = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      reload();
    } catch (e) {
      setError(e);
    }
  };
  if (policy.loading && !policy.data) return <Loading what="Loading policy" />;
  if (!policy.data) {
    return (
      <>
        <PageHeader title={policyArn.split('/').pop() ?? policyArn} crumbs={<Link to="/policies">Policies</Link>} />
        <ErrorMessage error={policy.error} />
      </>
    );
  }
  const p = policy.data;
  const saveVersion = async () => {
    setError(undefined);
    setProblems(NO_PROBLEMS);
    try {
      await api.post(`${base}/versions`, { PolicyDocument: text, SetAsDefault: asDefault });
      setEditing(false);
      setViewing(undefined);
      reload();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'MalformedPolicyDocument') setProblems(editorProblems(e, text));
      else setError(e);
    }
  };
  const deleteAll = async () => {
    for (const g of entities.data?.PolicyGroups ?? []) await api.delete(`/v1/groups/${seg(g.GroupName)}/attached-policies/${seg(policyArn)}`);
    for (const u of entities.data?.PolicyUsers ?? []) await api.delete(`/v1/users/${seg(u.UserName)}/attached-policies/${seg(policyArn)}`);
    for (const v of versions.data ?? []) if (!v.IsDefaultVersion) await api.delete(`${base}/versions/${v.VersionId}`);
    await api.delete(base);
    navigate('/policies');
  };
  return (
    <>
      <PageHeader title={p.PolicyName} crumbs={<Link to="/policies">Policies</Link>}>
        {!aws && (
          <>
            <Action
              variant="primary"
              check={check('iam:CreatePolicyVersion')}
              onClick={() => {
                setText(pretty(document.data?.Document));
                setProblems(NO_PROBLEMS);
                setEditing(true);
              }}
            >
              Edit (new version)
            </Action>
            <Action variant="danger" checks={deletePolicyChecks(policyArn, versions.data)} onClick={() => void run(deleteAll)}>
              Delete policy
            </Action>
          </>
        )}
      </PageHeader>
      <ErrorMessage error={error} />
      <section className="card summary" aria-label="Summary">
        <dl className="pairs">
          <dt>ARN</dt>
          <dd>
            <code>{p.Arn}</code>
          </dd>
          <dt>Type</dt>
          <dd>{aws ? 'AWS managed' : 'Customer managed'}</dd>
          <dt>Default version</dt>
          <dd>{p.DefaultVersionId}</dd>
          <dt>Description</dt>
          <dd>{p.Description || '—'}</dd>
          <dt>Updated</dt>
          <dd>{formatDate(p.UpdateDate)}</dd>
        </dl>
      </section>
      {editing ? (
        <section className="card">
          <h2>New version</h2>
          <PolicyEditor value={text} onChange={(t) => { setText(t); setProblems(NO_PROBLEMS); }} problems={problems} />
          <div className="check">
            <input id="as-default" type="checkbox" checked={asDefault} onChange={(e) => setAsDefault(e.target.checked)} />
            <label htmlFor="as-default">Set as the default version</label>
          </div>
          <div className="form-actions">
            <Action variant="primary" check={check('iam:CreatePolicyVersion')} onClick={() => void saveVersion()}>
              Save version
            </Action>
            <button type="button" className="btn btn-secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </section>
      ) : (
        <section className="card">
          <h2>Document{shownVersion ? ` (version ${shownVersion})` : ''}</h2>
          {document.error ? <ErrorMessage error={document.error} /> : <pre className="document" tabIndex={0} aria-label="Policy document">{pretty(document.data?.Document)}</pre>}
        </section>
      )}
      <h2>Versions</h2>
      {versions.error ? (
        <ErrorMessage error={versions.error} />
      ) : (
        <table>
          <ActionsTableHead columns={['Version', 'Created']} />
          <tbody>
            {(versions.data ?? []).map((v) => (
              <tr key={v.VersionId}>
                <th scope="row">
                  {v.VersionId}
                  {v.IsDefaultVersion ? ' (default)' : ''}
                </th>
                <td>{formatDate(v.CreateDate)}</td>
                <td className="row-actions">
                  <button type="button" className="btn btn-link" onClick={() => { setEditing(false); setViewing(v.VersionId); }}>
                    View <span className="visually-hidden">{v.VersionId}</span>
                  </button>
                  {!v.IsDefaultVersion && !aws && (
                    <>
                      <Action variant="link" check={check('iam:SetDefaultPolicyVersion')} onClick={() => void run(() => api.put(`${base}/default-version`, { VersionId: v.VersionId }))}>
                        Set as default <span className="visually-hidden">{v.VersionId}</span>
                      </Action>
                      <Action variant="link" check={check('iam:DeletePolicyVersion')} onClick={() => void run(() => api.delete(`${base}/versions/${v.VersionId}`))}>
                        Delete <span className="visually-hidden">{v.VersionId}</span>
                      </Action>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Where it is attached</h2>
      {entities.error ? (
        entities.error instanceof ApiError && entities.error.code === 'AccessDenied' ? <NotReadable what="where this policy is attached" action="iam:ListEntitiesForPolicy" /> : <ErrorMessage error={entities.error} />
      ) : (
        <ul className="plain">
          {(entities.data?.PolicyGroups ?? []).map((g) => (
            <li key={`g-${g.GroupName}`}>
              Group <Link to={`/groups/${encodeURIComponent(g.GroupName)}`}>{g.GroupName}</Link>
            </li>
          ))}
          {(entities.data?.PolicyUsers ?? []).map((u) => (
            <li key={`u-${u.UserName}`}>
              User <Link to={`/users/${encodeURIComponent(u.UserName)}`}>{u.UserName}</Link>
            </li>
          ))}
          {entities.data && entities.data.PolicyGroups.length + entities.data.PolicyUsers.length === 0 && <li className="muted">Not attached.</li>}
        </ul>
      )}
    </>
  );
}
