import { useEffect, useState, type FormEvent } from 'react';
import { Action, ErrorMessage, Loading, Notice, PageHeader, download, useLoad } from '../components/ui';
import { signInLink } from '../lib/account';
import { ApiError } from '../lib/api';
import { parseReport, reportHints, type Hint } from '../lib/credential-report';
import type { PasswordPolicy } from '../lib/password-rules';
import { useAccountName, useApi } from '../session';

const ANY = { resource: '*' };

/** The credential report, decoded, and what it suggests looking at. */
export function useCredentialReport(): { hints?: Hint[]; error?: unknown; download: () => Promise<void> } {
  const api = useApi();
  const report = useLoad(async () => {
    await api.post('/v1/account/credential-report');
    return api.get<{ Content: string; GeneratedTime: string }>('/v1/account/credential-report');
  }, [api]);
  return {
    hints: report.data ? reportHints(parseReport(report.data.Content), new Date()) : undefined,
    error: report.error,
    download: async () => {
      await api.post('/v1/account/credential-report');
      const { Content } = await api.get<{ Content: string }>('/v1/account/credential-report');
      download('credential-report.csv', new TextDecoder().decode(Uint8Array.from(atob(Content), (c) => c.charCodeAt(0))));
    },
  };
}

export function AccountPage() {
  return (
    <>
      <PageHeader title="Account settings" />
      <SignInLink />
      <PasswordPolicyEditor />
      <CredentialReport />
    </>
  );
}

const DEFAULTS: PasswordPolicy = {
  MinimumPasswordLength: 8,
  RequireSymbols: false,
  RequireNumbers: false,
  RequireUppercaseCharacters: false,
  RequireLowercaseCharacters: false,
  AllowUsersToChangePassword: false,
  HardExpiry: false,
};

function PasswordPolicyEditor() {
  const api = useApi();
  const current = useLoad(
    () =>
      api.get<{ PasswordPolicy: PasswordPolicy }>('/v1/account/password-policy').then(
        (r) => r.PasswordPolicy as PasswordPolicy | null,
        (e: unknown) => (e instanceof ApiError && e.code === 'NoSuchEntity' ? null : Promise.reject(e)),
      ),
    [api],
  );
  const [form, setForm] = useState<PasswordPolicy>(DEFAULTS);
  const [expire, setExpire] = useState(false);
  const [reuse, setReuse] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  useEffect(() => {
    if (current.data) {
      setForm(current.data);
      setExpire(Boolean(current.data.MaxPasswordAge));
      setReuse(Boolean(current.data.PasswordReusePrevention));
    }
  }, [current.data]);
  const flag = (key: keyof PasswordPolicy, label: string) => (
    <div className="check">
      <input id={`pp-${key}`} type="checkbox" checked={Boolean(form[key])} onChange={(e) => setForm({ ...form, [key]: e.target.checked })} />
      <label htmlFor={`pp-${key}`}>{label}</label>
    </div>
  );
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(undefined);
    try {
      await api.put('/v1/account/password-policy', {
        MinimumPasswordLength: form.MinimumPasswordLength,
        RequireSymbols: form.RequireSymbols,
        RequireNumbers: form.RequireNumbers,
        RequireUppercaseCharacters: form.RequireUppercaseCharacters,
        RequireLowercaseCharacters: form.RequireLowercaseCharacters,
        AllowUsersToChangePassword: form.AllowUsersToChangePassword,
        ...(expire && form.MaxPasswordAge ? { MaxPasswordAge: form.MaxPasswordAge, HardExpiry: Boolean(form.HardExpiry) } : {}),
        ...(reuse && form.PasswordReusePrevention ? { PasswordReusePrevention: form.PasswordReusePrevention } : {}),
      });
      setSaved('The password policy was saved.');
      current.reload();
    } catch (e) {
      setError(e);
    }
  };
  const reset = async () => {
    setError(undefined);
    try {
      await api.delete('/v1/account/password-policy');
      setForm(DEFAULTS);
      setSaved("The password policy was removed: AWS's default rules apply.");
      current.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card">
      <h2>Password policy</h2>
      {current.loading && current.data === undefined && <Loading />}
      {current.error ? (
        <ErrorMessage error={current.error} />
      ) : (
        <form className="form" onSubmit={save}>
          <p className="muted">{current.data ? 'A custom password policy is set.' : "No policy is set: AWS's default rules apply (8 characters, three kinds of characters)."}</p>
          <div className="field">
            <label htmlFor="pp-length">Minimum length (6–128)</label>
            <input id="pp-length" type="number" min={6} max={128} value={form.MinimumPasswordLength} onChange={(e) => setForm({ ...form, MinimumPasswordLength: Number(e.target.value) })} />
          </div>
          {flag('RequireUppercaseCharacters', 'Require at least one uppercase letter')}
          {flag('RequireLowercaseCharacters', 'Require at least one lowercase letter')}
          {flag('RequireNumbers', 'Require at least one number')}
          {flag('RequireSymbols', 'Require at least one symbol')}
          {flag('AllowUsersToChangePassword', 'Allow users to change their own password')}
          <div className="check">
            <input id="pp-expire" type="checkbox" checked={expire} onChange={(e) => setExpire(e.target.checked)} />
            <label htmlFor="pp-expire">Passwords expire</label>
          </div>
          {expire && (
            <div className="nested">
              <div className="field">
                <label htmlFor="pp-age">Expire after (days, 1–1095)</label>
                <input id="pp-age" type="number" min={1} max={1095} value={form.MaxPasswordAge ?? 90} onChange={(e) => setForm({ ...form, MaxPasswordAge: Number(e.target.value) })} />
              </div>
              {flag('HardExpiry', 'An expired password cannot be changed by its user (an administrator resets it)')}
            </div>
          )}
          <div className="check">
            <input id="pp-reuse" type="checkbox" checked={reuse} onChange={(e) => setReuse(e.target.checked)} />
            <label htmlFor="pp-reuse">Prevent password reuse</label>
          </div>
          {reuse && (
            <div className="field nested">
              <label htmlFor="pp-reuse-count">Remember this many previous passwords (1–24)</label>
              <input id="pp-reuse-count" type="number" min={1} max={24} value={form.PasswordReusePrevention ?? 5} onChange={(e) => setForm({ ...form, PasswordReusePrevention: Number(e.target.value) })} />
            </div>
          )}
          <ErrorMessage error={error} />
          {saved && <Notice kind="success">{saved}</Notice>}
          <div className="form-actions">
            <Action type="submit" variant="primary" check={{ action: 'iam:UpdateAccountPasswordPolicy', ...ANY }}>
              Save password policy
            </Action>
            {current.data && (
              <Action check={{ action: 'iam:DeleteAccountPasswordPolicy', ...ANY }} onClick={() => void reset()}>
                Remove policy (use defaults)
              </Action>
            )}
          </div>
        </form>
      )}
    </section>
  );
}

/** The link IAM users sign in with, naming the account by its alias when one is set (as AWS's sign-in URL does). */
function SignInLink() {
  const account = useAccountName();
  const link = signInLink(new URL(import.meta.env.BASE_URL, window.location.origin).toString(), account);
  return (
    <section className="card">
      <h2>Console sign-in link</h2>
      <p className="muted">
        IAM users of account <strong>{account}</strong> sign in here. The link names the account by its alias when one is set
        (CreateAccountAlias), else by its id.
      </p>
      <p>
        <a href={link} data-testid="sign-in-link">
          {link}
        </a>
      </p>
    </section>
  );
}

function CredentialReport() {
  const report = useCredentialReport();
  const [error, setError] = useState<unknown>();
  return (
    <section className="card">
      <h2>Credential report</h2>
      <p className="muted">Every user with the state of its password and access keys, as a CSV file in AWS&apos;s format.</p>
      <Action checks={[{ action: 'iam:GenerateCredentialReport', ...ANY }, { action: 'iam:GetCredentialReport', ...ANY }]} onClick={() => void report.download().catch(setError)}>
        Download credential report
      </Action>
      <ErrorMessage error={error} />
    </section>
  );
}
