import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../lib/api';
import { meetsRules, passwordRules, policyNotes, type PasswordPolicy } from '../lib/password-rules';
import { ErrorMessage, Field, useLoad } from './ui';
import { useApi } from '../session';

/** The account password policy, or undefined while AWS's default rules apply (or it cannot be read). */
export function usePasswordPolicy(): { policy?: PasswordPolicy; loading: boolean; readable: boolean } {
  const api = useApi();
  const { data, loading } = useLoad(
    () =>
      api.get<{ PasswordPolicy: PasswordPolicy }>('/v1/account/password-policy').then(
        (r) => ({ policy: r.PasswordPolicy as PasswordPolicy | undefined, readable: true }),
        (error: unknown) => ({ policy: undefined, readable: error instanceof ApiError && error.code === 'NoSuchEntity' }),
      ),
    [],
  );
  return { policy: data?.policy, loading, readable: data?.readable ?? true };
}

/** The rules, each ticked as the password being typed meets it; announced politely. */
export function PasswordRules({ password, policy, readable, loading, userName, accountId, id }: { password: string; policy?: PasswordPolicy; readable: boolean; loading?: boolean; userName?: string; accountId?: string; id?: string }) {
  if (loading) {
    return (
      <p className="muted" id={id} role="status">
        Reading the password policy…
      </p>
    );
  }
  const rules = passwordRules(password, policy, { userName, accountId });
  return (
    <div className="rules" id={id}>
      <p className="muted">{policy ? "The account's password policy asks for:" : readable ? 'No password policy is set; the default rules apply:' : 'The password policy could not be read; the default rules are:'}</p>
      <ul aria-live="polite">
        {rules.map((rule) => (
          <li key={rule.id} className={rule.met ? 'rule-met' : 'rule-unmet'} data-rule={rule.id} data-met={rule.met}>
            <span aria-hidden="true">{rule.met ? '✓' : '○'}</span> {rule.label}
            <span className="visually-hidden">{rule.met ? ' (met)' : ' (not met yet)'}</span>
          </li>
        ))}
      </ul>
      {policyNotes(policy).map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
    </div>
  );
}

/** Current password, new password and its confirmation, with the policy's rules as one types. */
export function ChangePasswordForm({ userName, accountId, onChanged, submitLabel = 'Change password' }: { userName?: string; accountId?: string; onChanged: (newPassword: string) => Promise<void> | void; submitLabel?: string }) {
  const api = useApi();
  const { policy, readable, loading } = usePasswordPolicy();
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const rulesId = useId();
  const ok = !loading && meetsRules(passwordRules(newPassword, policy, { userName, accountId }));
  const mismatch = confirm !== '' && confirm !== newPassword;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (newPassword !== confirm) {
      setError(new Error('The new passwords do not match.'));
      return;
    }
    setBusy(true);
    try {
      await api.post('/v1/me/password', { OldPassword: oldPassword, NewPassword: newPassword });
      await onChanged(newPassword);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="form" noValidate>
      <Field label="Current password">{(id) => <input id={id} type="password" autoComplete="current-password" value={oldPassword} onChange={(e) => setOld(e.target.value)} required />}</Field>
      <Field label="New password">
        {(id) => <input id={id} type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} aria-describedby={rulesId} aria-invalid={newPassword !== '' && !ok} required />}
      </Field>
      <PasswordRules id={rulesId} password={newPassword} policy={policy} readable={readable} loading={loading} userName={userName} accountId={accountId} />
      <Field label="Confirm new password" hint={mismatch ? 'The passwords do not match.' : undefined}>
        {(id, hintId) => <input id={id} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} aria-invalid={mismatch} aria-describedby={hintId} required />}
      </Field>
      <ErrorMessage error={error} />
      <button type="submit" className="btn btn-primary" disabled={busy || !ok || oldPassword === '' || confirm !== newPassword}>
        {busy ? 'Changing…' : submitLabel}
      </button>
    </form>
  );
}
