import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { ActionLink, ErrorMessage, Loading, PageHeader, useListParams } from '../components/ui';
import { arn } from '../lib/arn';
import { filterUsers, formatDate, pageOf } from '../lib/format';
import type { User } from '../lib/types';
import { useAccount, useApi } from '../session';

const PAGE_SIZE = 50;
/** The first request: enough for the first screens, and cheap, so they show at once. */
const FIRST_PAGE = 100;
/** Every later request, in the background. */
const LATER_PAGES = 1000;

/**
 * Every user: the first hundred first (the first screens show as soon as they arrive), then the
 * rest a thousand at a time in the background; searched by name and path prefix in the browser,
 * paged fifty to a screen.
 */
export function UsersPage() {
  const api = useApi();
  const account = useAccount();
  const [params, set] = useListParams();
  const name = params.get('name') ?? '';
  const pathPrefix = params.get('path') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [users, setUsers] = useState<User[]>([]);
  const [complete, setComplete] = useState(false);
  const [error, setError] = useState<unknown>();
  const [loadedOnce, setLoadedOnce] = useState(false);

  useEffect(() => {
    let live = true;
    setUsers([]);
    setComplete(false);
    setError(undefined);
    (async () => {
      let cursor: string | undefined;
      const all: User[] = [];
      do {
        const reply = await api.get<{ Users: User[]; nextCursor?: string }>('/v1/users', { limit: all.length === 0 ? FIRST_PAGE : LATER_PAGES, cursor });
        if (!live) return;
        all.push(...reply.Users);
        setUsers([...all]);
        setLoadedOnce(true);
        cursor = reply.nextCursor;
      } while (cursor);
      if (live) setComplete(true);
    })().catch((e: unknown) => {
      if (live) {
        setError(e);
        setLoadedOnce(true);
      }
    });
    return () => {
      live = false;
    };
  }, [api]);

  const filtered = useMemo(() => filterUsers(users, name, pathPrefix), [users, name, pathPrefix]);
  const shown = pageOf(filtered, page, PAGE_SIZE);

  return (
    <>
      <PageHeader title="Users">
        <ActionLink to="/users/new" check={{ action: 'iam:CreateUser', resource: arn.anyUser(account) }}>
          Create user
        </ActionLink>
      </PageHeader>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field inline">
          <label htmlFor="user-search">Search by name</label>
          <input id="user-search" type="search" value={name} onChange={(e) => set('name', e.target.value)} placeholder="part of a user name" />
        </div>
        <div className="field inline">
          <label htmlFor="user-path">Path prefix</label>
          <input id="user-path" type="search" value={pathPrefix} onChange={(e) => set('path', e.target.value)} placeholder="/" />
        </div>
      </form>
      <ErrorMessage error={error} />
      {!loadedOnce && !error && <Loading what="Loading users" />}
      {loadedOnce && !error && (
        <>
          <p className="muted" aria-live="polite" data-testid="user-count">
            {filtered.length} of {users.length} users{complete ? '' : ' (still loading)'}
          </p>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Users</caption>
              <thead>
                <tr>
                  <th scope="col">User name</th>
                  <th scope="col">Path</th>
                  <th scope="col">Created</th>
                  <th scope="col">Password last used</th>
                </tr>
              </thead>
              <tbody>
                {shown.items.map((user) => (
                  <tr key={user.UserId}>
                    <th scope="row">
                      <Link to={`/users/${encodeURIComponent(user.UserName)}`}>{user.UserName}</Link>
                    </th>
                    <td>{user.Path}</td>
                    <td>{formatDate(user.CreateDate)}</td>
                    <td>{formatDate(user.PasswordLastUsed)}</td>
                  </tr>
                ))}
                {shown.items.length === 0 && (
                  <tr>
                    <td colSpan={4} className="muted">
                      No users match.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <Pager page={shown.page} pages={shown.pages} onPage={(p) => set('page', String(p))} />
        </>
      )}
    </>
  );
}

export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="btn btn-secondary btn-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      <button type="button" className="btn btn-secondary btn-small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
