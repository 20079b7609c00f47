import { useEffect, useRef, useState } from 'react';
import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router';
import { AccountPage } from './pages/account';
import { GroupPage, GroupsPage } from './pages/groups';
import { MyCredentialsPage } from './pages/my-credentials';
import { PoliciesPage, PolicyPage, CreatePolicyPage } from './pages/policies';
import { ChangePasswordPage, SignInPage } from './pages/sign-in';
import { CreateUserPage } from './pages/create-user';
import { UserPage } from './pages/user';
import { UsersPage } from './pages/users';
import { WhoCanPage } from './pages/who-can';
import { DashboardPage } from './pages/dashboard';
import { accountLabel } from './lib/account';
import { useSessionState } from './session';

const NAV = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/users', label: 'Users' },
  { to: '/groups', label: 'Groups' },
  { to: '/policies', label: 'Policies' },
  { to: '/who-can', label: 'Who can do what' },
  { to: '/account', label: 'Account settings' },
  { to: '/my-credentials', label: 'My security credentials' },
];

export function App() {
  const { session, ended, aliases, permissions, signOut } = useSessionState();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);

  // Permissions may change with what was done on the last page: ask again on each page.
  useEffect(() => {
    permissions.clear();
    setMenuOpen(false);
  }, [location.pathname, permissions]);

  if (!session) return <SignInPage ended={ended} />;
  if (session.passwordChangeOnly) return <ChangePasswordPage />;

  const who = session.principal.Type === 'root' ? 'root' : session.principal.UserName;
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="btn btn-link menu-button" aria-expanded={menuOpen} aria-controls="sidebar" onClick={() => setMenuOpen((o) => !o)}>
          Menu
        </button>
        <span className="brand">IAM console</span>
        <span className="who">
          <span className="muted">Signed in as</span> <strong data-testid="signed-in-as">{who}</strong>
          <span className="muted account" title={`Account id ${session.principal.AccountId}`}>
            {' '}
            · Account: <span data-testid="account">{accountLabel(session.principal.AccountId, aliases)}</span>
          </span>
        </span>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav id="sidebar" className={`sidebar${menuOpen ? ' open' : ''}`} aria-label="Console">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end}>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        <Routes>
          <Route path="/" element={<DashboardPage />} />
          <Route path="/users" element={<UsersPage />} />
          <Route path="/users/new" element={<CreateUserPage />} />
          <Route path="/users/:name" element={<UserPage />} />
          <Route path="/groups" element={<GroupsPage />} />
          <Route path="/groups/:name" element={<GroupPage />} />
          <Route path="/policies" element={<PoliciesPage />} />
          <Route path="/policies/new" element={<CreatePolicyPage />} />
          <Route path="/policies/:arn" element={<PolicyPage />} />
          <Route path="/who-can" element={<WhoCanPage />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="/my-credentials" element={<MyCredentialsPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
    </div>
  );
}
