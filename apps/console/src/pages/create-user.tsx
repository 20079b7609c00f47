import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { usePasswordPolicy, PasswordRules } from '../components/password-form';
import { NewAccessKey, NewPassword } from '../components/secrets';
import { TagsEditor } from '../components/tags-editor';
import { Action, ErrorMessage, Field, Notice, PageHeader, useLoad } from '../components/ui';
import { seg } from '../lib/api';
import { arn } from '../lib/arn';
import { generatePassword } from '../lib/generate-password';
import { meetsRules, passwordRules } from '../lib/password-rules';
import type { AccessKey, Group, Tag, User } from '../lib/types';
import { useAccount, useApi } from '../session';

interface Created {
  user: User;
  password?: { value: string; mustChange: boolean };
  accessKey?: AccessKey & { SecretAccessKey: string };
  groups: string[];
  failed?: { step: string; error: unknown };
}

/** Creating a user the way the AWS console does: name and path, console access, programmatic access, groups, tags. */
export function CreateUserPage() {
  const api = useApi();
  const account = useAccount();
  const navigate = useNavigate();
  const { policy, readable } = usePasswordPolicy();
  const groups = useLoad(() => api.all<Group, 'Groups'>('/v1/groups', 'Groups'), []);
  const [name, setName] = useState('');
  const [path, setPath] = useState('/');
  const [consoleAccess, setConsoleAccess] = useState(false);
  const [generated, setGenerated] = useState(true);
  const [password, setPassword] = useState('');
  const [mustChange, setMustChange] = useState(true);
  const [programmatic, setProgrammatic] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [tags, setTags] = useState<Tag[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created>();

  const newArn = arn.user(account, path || '/', name || '*');
  const passwordOk = !consoleAccess || generated || meetsRules(passwordRules(password, policy, { userName: name, accountId: account }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    const cleanTags = tags.filter((t) => t.Key.trim() !== '');
    let user: User;
    try {
      user = (await api.post<{ User: User }>('/v1/users', { UserName: name.trim(), ...(path && path !== '/' ? { Path: path } : {}), ...(cleanTags.length ? { Tags: cleanTags } : {}) })).User;
    } catch (e) {
      setError(e);
      setBusy(false);
      return;
    }
    const result: Created = { user, groups: [] };
    const step = async (what: string, run: () => Promise<void>) => {
      if (result.failed) return;
      try {
        await run();
      } catch (e) {
        result.failed = { step: what, error: e };
      }
    };
    const userPath = `/v1/users/${seg(user.UserName)}`;
    if (consoleAccess) {
      const value = generated ? generatePassword(policy) : password;
      await step('giving the user a console password', async () => {
        await api.post(`${userPath}/login-profile`, { Password: value, PasswordResetRequired: mustChange });
        result.password = { value, mustChange };
      });
    }
    for (const group of chosen) {
      await step(`adding the user to ${group}`, async () => {
        await api.put(`/v1/groups/${seg(group)}/members/${seg(user.UserName)}`);
        result.groups.push(group);
      });
    }
    if (programmatic) {
      await step('creating an access key', async () => {
        result.accessKey = (await api.post<{ AccessKey: AccessKey & { SecretAccessKey: string } }>(`${userPath}/access-keys`)).AccessKey;
      });
    }
    setCreated(result);
    setBusy(false);
  };

  if (created) {
    return (
      <>
        <PageHeader title={`User ${created.user.UserName} created`} />
        {created.failed ? (
          <ErrorMessage error={created.failed.error} title={`The user was created, but ${created.failed.step} failed:`} />
        ) : (
          <Notice kind="success">The user {created.user.UserName} was created{created.groups.length ? ` and added to ${created.groups.join(', ')}` : ''}.</Notice>
        )}
        {created.password && <NewPassword userName={created.user.UserName} password={created.password.value} mustChange={created.password.mustChange} />}
        {created.accessKey && <NewAccessKey accessKey={created.accessKey} />}
        <p>
          <Link className="btn btn-primary" to={`/users/${encodeURIComponent(created.user.UserName)}`}>
            View user
          </Link>{' '}
          <Link className="btn btn-secondary" to="/users">
            Back to users
          </Link>
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Create user" crumbs={<Link to="/users">Users</Link>} />
      <form className="form wide" onSubmit={submit} noValidate>
        <section className="card">
          <h2>User details</h2>
          <Field label="User name" hint="Up to 64 letters, digits and + = , . @ _ -">
            {(id, hint) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} aria-describedby={hint} required maxLength={64} />}
          </Field>
          <Field label="Path" hint="Starts and ends with /, e.g. /engineering/">
            {(id, hint) => <input id={id} value={path} onChange={(e) => setPath(e.target.value)} aria-describedby={hint} />}
          </Field>
          <div className="check">
            <input id="console-access" type="checkbox" checked={consoleAccess} onChange={(e) => setConsoleAccess(e.target.checked)} />
            <label htmlFor="console-access">Provide access to the console (a console password)</label>
          </div>
          {consoleAccess && (
            <fieldset className="nested">
              <legend>Console password</legend>
              <div className="check">
                <input id="pw-generated" type="radio" name="pw" checked={generated} onChange={() => setGenerated(true)} />
                <label htmlFor="pw-generated">Autogenerated password</label>
              </div>
              <div className="check">
                <input id="pw-custom" type="radio" name="pw" checked={!generated} onChange={() => setGenerated(false)} />
                <label htmlFor="pw-custom">Custom password</label>
              </div>
              {!generated && (
                <>
                  <Field label="Password">{(id) => <input id={id} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}</Field>
                  <PasswordRules password={password} policy={policy} readable={readable} userName={name} accountId={account} />
                </>
              )}
              <div className="check">
                <input id="must-change" type="checkbox" checked={mustChange} onChange={(e) => setMustChange(e.target.checked)} />
                <label htmlFor="must-change">User must create a new password at next sign-in</label>
              </div>
            </fieldset>
          )}
          <div className="check">
            <input id="programmatic" type="checkbox" checked={programmatic} onChange={(e) => setProgrammatic(e.target.checked)} />
            <label htmlFor="programmatic">Programmatic access (create an access key)</label>
          </div>
        </section>
        <section className="card">
          <h2>Add to groups</h2>
          {groups.error ? (
            <ErrorMessage error={groups.error} />
          ) : (
            <div className="checklist">
              {(groups.data ?? []).map((g) => (
                <div className="check" key={g.GroupId}>
                  <input
                    id={`group-${g.GroupName}`}
                    type="checkbox"
                    checked={chosen.includes(g.GroupName)}
                    onChange={(e) => setChosen(e.target.checked ? [...chosen, g.GroupName] : chosen.filter((n) => n !== g.GroupName))}
                  />
                  <label htmlFor={`group-${g.GroupName}`}>{g.GroupName}</label>
                </div>
              ))}
              {groups.data?.length === 0 && <p className="muted">No groups yet.</p>}
            </div>
          )}
        </section>
        <section className="card">
          <TagsEditor tags={tags} onChange={setTags} />
        </section>
        <ErrorMessage error={error} />
        <div className="form-actions">
          <Action type="submit" variant="primary" check={{ action: 'iam:CreateUser', resource: newArn }} disabled={busy || name.trim() === '' || !passwordOk}>
            {busy ? 'Creating…' : 'Create user'}
          </Action>
          <button type="button" className="btn btn-secondary" onClick={() => navigate('/users')}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
