import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Action, ErrorMessage, Loading, PageHeader, TabPanel, Tabs, useLoad } from '../components/ui';
import { Api, seg } from '../lib/api';
import { actionsNamed, describeCell, groupMatrix, readDetails, type AuthorizationDetails, type MatrixCell } from '../lib/access-model';
import type { AccessGrant, User, WhoCanPrincipal } from '../lib/types';
import { useApi } from '../session';

const TABS = [
  { id: 'who', label: 'Who can' },
  { id: 'matrix', label: 'Groups and services' },
  { id: 'simulator', label: 'Policy simulator' },
];

/** Groups and managed policies with their documents (every page). */
const loadStructure = (api: Api, live: () => boolean) => readDetails(api, 'Group,LocalManagedPolicy,AWSManagedPolicy', undefined, { live });

/** Users a request when reading their inline policies: each costs the server several reads. */
const USERS_PAGE_SIZE = 250;

/**
 * The users' own inline policies: every user, 250 to a request, read after the groups and
 * policies so that those show at once, and no longer once the page is left; only users with
 * inline policies are kept.
 */
const loadUsersInline = (api: Api, onPage: (read: number) => void, live: () => boolean) => readDetails(api, 'User', onPage, { pageSize: USERS_PAGE_SIZE, live });

/** What the view knows of the account: groups and policies, and the users' inline policies once read. */
interface Known {
  details?: AuthorizationDetails;
  structureError?: unknown;
  /** Users read so far while reading them; undefined once read (or failed). */
  usersRead?: number;
  usersError?: unknown;
}

export function WhoCanPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'who';
  // The answer asked for comes first: the account's policies (for completion and the matrix) are
  // read once it has arrived, and the users' inline policies after them, so neither competes with
  // it; on the other tabs, or with no question asked, they are read at once.
  const [answered, setAnswered] = useState(() => tab !== 'who' || !params.get('action'));
  const settled = useCallback(() => setAnswered(true), []);
  const background = answered || tab !== 'who';
  const structure = useLoad((live) => loadStructure(api, live), [api], background);
  const [usersRead, setUsersRead] = useState(0);
  const users = useLoad((live) => loadUsersInline(api, setUsersRead, live), [api], background && !structure.loading);
  const known: Known = useMemo(
    () => ({
      details: structure.data && { ...structure.data, ...(users.data ? { UserDetailList: users.data.UserDetailList } : {}) },
      structureError: structure.error,
      usersRead: users.loading ? usersRead : undefined,
      usersError: users.error,
    }),
    [structure.data, structure.error, users.data, users.error, users.loading, usersRead],
  );
  const select = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('tab', id);
    setParams(next, { replace: true });
  };
  return (
    <>
      <PageHeader title="Who can do what" />
      <Tabs label="Who can do what" tabs={TABS} selected={tab} onSelect={select} />
      <TabPanel id={tab}>
        {tab === 'who' && <WhoCan known={known} onSettled={settled} />}
        {tab === 'matrix' && (known.structureError ? <ErrorMessage error={known.structureError} /> : known.details ? <Matrix known={known} details={known.details} /> : <Loading what="Loading the account's policies" />)}
        {tab === 'simulator' && <Simulator />}
      </TabPanel>
    </>
  );
}

function why(grant: AccessGrant): string {
  const statement = grant.Sid ? `statement "${grant.Sid}"` : `statement ${grant.StatementIndex + 1}`;
  const through = grant.Via === 'group' ? `through group ${grant.GroupName}` : 'attached to the user';
  return `${statement} of ${grant.PolicyName} (${grant.PolicyType === 'inline' || !grant.PolicyArn ? 'inline' : 'managed'}, ${through})${grant.Conditional ? ' — only under its conditions' : ''}`;
}

/** Where the users' inline policies stand, in words (nothing once they are in). */
function usersInlineNote(known: Known): string | undefined {
  if (known.usersRead !== undefined) return `Reading users' own inline policies (${known.usersRead} users read)…`;
  if (known.usersError) return `Users' own inline policies are left out: ${known.usersError instanceof Error ? known.usersError.message : String(known.usersError)}`;
  return undefined;
}

function WhoCan({ known, onSettled }: { known: Known; onSettled: () => void }) {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const action = params.get('action') ?? '';
  const resource = params.get('resource') ?? '*';
  const [typedAction, setTypedAction] = useState(action);
  const [typedResource, setTypedResource] = useState(resource);
  const [result, setResult] = useState<{ principals: WhoCanPrincipal[]; counts?: { Allowed: number; Denied: number; Conditional: number }; next?: string }>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const listId = useId();
  const actions = useMemo(() => (known.details ? actionsNamed(known.details) : []), [known.details]);
  const note = usersInlineNote(known);

  const fetchPage = async (cursor?: string) => {
    const page = await api.get<{ Principals: WhoCanPrincipal[]; Counts: { Allowed: number; Denied: number; Conditional: number }; nextCursor?: string }>('/v1/who-can', { action, resource, limit: 200, cursor });
    return page;
  };
  useEffect(() => {
    if (!action) {
      onSettled();
      return;
    }
    let live = true;
    setLoading(true);
    setError(undefined);
    fetchPage()
      .then(
        (page) => live && (setResult({ principals: page.Principals, counts: page.Counts, next: page.nextCursor }), setLoading(false)),
        (e: unknown) => live && (setError(e), setResult(undefined), setLoading(false)),
      )
      .finally(onSettled);
    return () => {
      live = false;
    };
  }, [api, action, resource]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    next.set('action', typedAction.trim());
    next.set('resource', typedResource.trim() || '*');
    setParams(next);
  };

  return (
    <>
      <form className="inline-form wrap" onSubmit={submit} role="search" aria-label="Who can">
        <label htmlFor="who-action">Action</label>
        <input id="who-action" list={listId} value={typedAction} onChange={(e) => setTypedAction(e.target.value)} placeholder="iam:ListGroups" autoComplete="off" />
        <datalist id={listId}>
          {actions.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <label htmlFor="who-resource">Resource</label>
        <input id="who-resource" value={typedResource} onChange={(e) => setTypedResource(e.target.value)} />
        <button type="submit" className="btn btn-primary" disabled={!typedAction.includes(':')}>
          Show who can
        </button>
      </form>
      <p className="muted small" data-testid="who-can-completion">
        Completion offers the {actions.length} actions the account&apos;s group, managed and users&apos; own inline policies name; any action may be asked about.
        {note && <span role="status"> {note}</span>}
      </p>
      <ErrorMessage error={error} />
      {loading && <Loading what="Evaluating" />}
      {result && !loading && (
        <>
          {result.counts && (
            <p className="counts" data-testid="who-can-counts">
              <span className="verdict verdict-allowed">{result.counts.Allowed} allowed</span> <span className="verdict verdict-conditional">{result.counts.Conditional} conditional</span>{' '}
              <span className="verdict verdict-denied">{result.counts.Denied} denied</span>
            </p>
          )}
          <div className="table-wrap">
            <table data-testid="who-can-table">
              <caption>
                Who can <code>{action}</code> on <code>{resource}</code>
              </caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {result.principals.map((p) => (
                  <tr key={p.UserId} data-user={p.UserName}>
                    <th scope="row">
                      <Link to={`/users/${encodeURIComponent(p.UserName)}`}>{p.UserName}</Link>
                    </th>
                    <td>
                      <span className={`verdict verdict-${p.Verdict}`}>{p.Verdict}</span>
                    </td>
                    <td>
                      <ul className="why">
                        {(p.Denials ?? []).map((g, i) => (
                          <li key={`d${i}`}>Denied by {why(g)}</li>
                        ))}
                        {(p.Grants ?? []).map((g, i) => (
                          <li key={`g${i}`}>Allowed by {why(g)}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
                {result.principals.length === 0 && (
                  <tr>
                    <td colSpan={3} className="muted">
                      Nobody: no user has a statement that applies.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          {result.next && (
            <button
              type="button"
              className="btn btn-secondary"
              onClick={async () => {
                const page = await fetchPage(result.next);
                setResult({ principals: [...result.principals, ...page.Principals], counts: result.counts, next: page.nextCursor });
              }}
            >
              Show more
            </button>
          )}
        </>
      )}
    </>
  );
}

/** How many users a cell of the users' row names before "and N more". */
const USERS_SHOWN = 10;

function MatrixCellView({ cell, users }: { cell: MatrixCell | undefined; users?: boolean }) {
  if (!cell) return <td />;
  const named = cell.users ?? [];
  return (
    <td className={cell.deny.length ? 'cell-deny' : 'cell-allow'}>
      <details>
        <summary>
          {describeCell(cell)}
          {users ? ` (${named.length} user${named.length === 1 ? '' : 's'})` : ''}
        </summary>
        <ul className="small">
          {cell.allow.map((a) => (
            <li key={`a${a}`}>Allow {a}</li>
          ))}
          {cell.deny.map((a) => (
            <li key={`d${a}`}>Deny {a}</li>
          ))}
          {users ? (
            <li className="muted">
              from{' '}
              {named.slice(0, USERS_SHOWN).map((u, n) => (
                <span key={u}>
                  {n > 0 && ', '}
                  <Link to={`/users/${encodeURIComponent(u)}?tab=permissions`}>{u}</Link>
                </span>
              ))}
              {named.length > USERS_SHOWN && ` and ${named.length - USERS_SHOWN} more`}
            </li>
          ) : (
            <li className="muted">from {cell.policies.join(', ')}</li>
          )}
        </ul>
      </details>
    </td>
  );
}

function Matrix({ known, details }: { known: Known; details: AuthorizationDetails }) {
  const matrix = useMemo(() => groupMatrix(details), [details]);
  const note = usersInlineNote(known);
  const usersRow = matrix.usersInline && matrix.usersInline.users > 0 ? matrix.usersInline : undefined;
  if (matrix.rows.length === 0 && !usersRow) {
    return (
      <>
        <p className="muted">No groups{known.usersRead === undefined && !known.usersError ? ' and no user with an inline policy' : ''}.</p>
        {note && <p className="muted" role="status">{note}</p>}
      </>
    );
  }
  return (
    <>
      <p className="muted">
        What each group&apos;s policies allow and deny, by service, and in the last row what users&apos; own inline policies do (all such users together; a cell names them). A cell lists its actions when opened; a group&apos;s or a user&apos;s page shows its policies.
      </p>
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
      <div className="table-wrap matrix-wrap">
        <table className="matrix" data-testid="group-matrix">
          <caption className="visually-hidden">Groups by services</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              {matrix.services.map((s) => (
                <th scope="col" key={s}>
                  {s === '*' ? 'all services' : s}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.rows.map((row) => (
              <tr key={row.group}>
                <th scope="row">
                  <Link to={`/groups/${encodeURIComponent(row.group)}`}>{row.group}</Link>
                </th>
                {matrix.services.map((s) => (
                  <MatrixCellView key={s} cell={row.cells[s]} />
                ))}
              </tr>
            ))}
            {usersRow && (
              <tr className="users-inline" data-testid="users-inline-row">
                <th scope="row">
                  Users&apos; own inline policies ({usersRow.users} user{usersRow.users === 1 ? '' : 's'})
                </th>
                {matrix.services.map((s) => (
                  <MatrixCellView key={s} cell={usersRow.cells[s]} users />
                ))}
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

interface EvaluationResult {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: string;
  MatchedStatements: Array<{ SourcePolicyId: string; SourcePolicyType: string; StartPosition?: { Line: number; Column: number } }>;
  MissingContextValues: string[];
}

function Simulator() {
  const api = useApi();
  const [userName, setUserName] = useState('');
  const [actions, setActions] = useState('');
  const [resources, setResources] = useState('*');
  const [results, setResults] = useState<EvaluationResult[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setResults(undefined);
    try {
      const { User } = await api.get<{ User: User }>(`/v1/users/${seg(userName.trim())}`);
      const reply = await api.post<{ EvaluationResults: EvaluationResult[] }>('/v1/simulate', {
        PolicySourceArn: User.Arn,
        ActionNames: actions.split(/[\s,]+/).filter(Boolean),
        ResourceArns: resources.split(/[\s,]+/).filter(Boolean),
      });
      setResults(reply.EvaluationResults);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p className="muted">Evaluates a user&apos;s policies (its own and its groups&apos;) for actions and resources, as AWS&apos;s policy simulator does.</p>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="sim-user">User name</label>
          <input id="sim-user" value={userName} onChange={(e) => setUserName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="sim-actions">Actions (separated by spaces or commas)</label>
          <input id="sim-actions" value={actions} onChange={(e) => setActions(e.target.value)} placeholder="iam:ListUsers iam:ListGroups" />
        </div>
        <div className="field">
          <label htmlFor="sim-resources">Resources</label>
          <input id="sim-resources" value={resources} onChange={(e) => setResources(e.target.value)} />
        </div>
        <Action type="submit" variant="primary" disabled={busy || userName.trim() === '' || actions.trim() === ''}>
          Run simulation
        </Action>
      </form>
      <ErrorMessage error={error} />
      {results && (
        <div className="table-wrap">
          <table data-testid="simulation-results">
            <caption className="visually-hidden">Simulation results</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Decision</th>
                <th scope="col">Matched statements</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r, i) => (
                <tr key={i}>
                  <th scope="row">{r.EvalActionName}</th>
                  <td>{r.EvalResourceName}</td>
                  <td>
                    <span className={`verdict verdict-${r.EvalDecision === 'allowed' ? 'allowed' : 'denied'}`}>{r.EvalDecision}</span>
                  </td>
                  <td>
                    {r.MatchedStatements.map((m, n) => (
                      <div key={n}>
                        {m.SourcePolicyId} ({m.SourcePolicyType}){m.StartPosition ? `, line ${m.StartPosition.Line}` : ''}
                      </div>
                    ))}
                    {r.MissingContextValues.length > 0 && <div className="muted">Depends on {r.MissingContextValues.join(', ')}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
