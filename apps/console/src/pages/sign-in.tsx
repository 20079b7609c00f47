import { useState, type FormEvent } from 'react';
import { ChangePasswordForm } from '../components/password-form';
import { ErrorMessage, Notice } from '../components/ui';
import { accountFromLink } from '../lib/account';
import { signInMessage } from '../lib/api';
import { useSession, useSessionState } from '../session';

/** Signing in as an IAM user or as root; shown in place of any page, which stays where it was. */
export function SignInPage({ ended }: { ended?: string }) {
  const { signIn } = useSessionState();
  const [asRoot, setAsRoot] = useState(false);
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // A sign-in link names the account (`?account=<alias or id>`), as AWS's sign-in URL does.
  const [account] = useState(() => accountFromLink(window.location.search));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if ((!asRoot && userName.trim() === '') || password === '') {
      setError('Enter a user name and a password.');
      return;
    }
    setBusy(true);
    try {
      await signIn(asRoot ? { Root: true, Password: password } : { UserName: userName.trim(), Password: password });
    } catch (e) {
      setError(signInMessage(e));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <div className="card sign-in-card">
        <h1>Sign in</h1>
        <p className="muted">
          IAM console
          {account && (
            <>
              {' '}
              · Account: <strong data-testid="sign-in-account">{account}</strong>
            </>
          )}
        </p>
        {ended && <Notice kind="warning">{ended}</Notice>}
        <fieldset className="choice">
          <legend>Sign in as</legend>
          <label>
            <input type="radio" name="who" checked={!asRoot} onChange={() => setAsRoot(false)} /> IAM user
          </label>
          <label>
            <input type="radio" name="who" checked={asRoot} onChange={() => setAsRoot(true)} /> Root user
          </label>
        </fieldset>
        <form onSubmit={submit} className="form" noValidate>
          {!asRoot && (
            <div className="field">
              <label htmlFor="sign-in-user">User name</label>
              <input id="sign-in-user" name="username" autoComplete="username" value={userName} onChange={(e) => setUserName(e.target.value)} required autoFocus />
            </div>
          )}
          <div className="field">
            <label htmlFor="sign-in-password">{asRoot ? 'Root password' : 'Password'}</label>
            <input id="sign-in-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </div>
          {error && (
            <div className="alert alert-error" role="alert">
              {error}
            </div>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {asRoot && <p className="muted small">Root signs in with the password the server was started with (IAM_ROOT_PASSWORD).</p>}
      </div>
    </main>
  );
}

/** A password that must be changed before anything else: the policy's rules shown as one types. */
export function ChangePasswordPage() {
  const { session, signIn, signOut } = useSession();
  const [error, setError] = useState<unknown>();
  const userName = session.principal.UserName;
  return (
    <main className="sign-in" id="main">
      <div className="card sign-in-card">
        <h1>Change your password</h1>
        <p>
          {userName ? <strong>{userName}</strong> : 'You'} must choose a new password before using the console.
        </p>
        <ChangePasswordForm
          userName={userName}
          accountId={session.principal.AccountId}
          submitLabel="Confirm password change"
          onChanged={async (newPassword) => {
            // A password change ends every session of the user: sign in again with the new one.
            try {
              await signIn({ UserName: userName, Password: newPassword });
            } catch (e) {
              setError(e);
            }
          }}
        />
        <ErrorMessage error={error} />
        <button type="button" className="btn btn-link" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </main>
  );
}
