import { useState } from 'react';
import { ChangePasswordForm } from '../components/password-form';
import { NewAccessKey } from '../components/secrets';
import { Action, ErrorMessage, Loading, NotReadable, Notice, PageHeader, useLoad } from '../components/ui';
import { ApiError, seg } from '../lib/api';
import { formatDate } from '../lib/format';
import type { AccessKey } from '../lib/types';
import { useApi, useSession } from '../session';

/** The signed-in user's own password and access keys, as far as its policies allow. */
export function MyCredentialsPage() {
  const { session, signIn } = useSession();
  const api = useApi();
  const principal = session.principal;
  const [changed, setChanged] = useState(false);
  const [error, setError] = useState<unknown>();
  const [newKey, setNewKey] = useState<AccessKey & { SecretAccessKey: string }>();
  const userName = principal.UserName ?? '';
  const base = `/v1/users/${seg(userName)}`;
  const keys = useLoad(() => (principal.Type === 'user' ? api.all<AccessKey, 'AccessKeyMetadata'>(`${base}/access-keys`, 'AccessKeyMetadata') : Promise.resolve([])), [api, base]);
  const check = (action: string) => ({ action, resource: principal.Arn });
  const run = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      keys.reload();
    } catch (e) {
      setError(e);
    }
  };
  if (principal.Type === 'root') {
    return (
      <>
        <PageHeader title="My security credentials" />
        <p>
          You are signed in as the account&apos;s root user. Its password is <code>IAM_ROOT_PASSWORD</code> and its access keys are set where the server is configured (with <code>npm start</code>, in{' '}
          <code>data/root-credentials.json</code>); they are not changed here.
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeader title="My security credentials" />
      <p>
        User <strong>{userName}</strong> · <code>{principal.Arn}</code>
      </p>
      <section className="card">
        <h2>Console password</h2>
        {changed && <Notice kind="success">Your password was changed.</Notice>}
        <ChangePasswordForm
          userName={userName}
          accountId={principal.AccountId}
          onChanged={async (password) => {
            // A password change ends the user's sessions: a new one with the new password.
            await signIn({ UserName: userName, Password: password });
            setChanged(true);
          }}
        />
      </section>
      <section className="card">
        <h2>Access keys</h2>
        <ErrorMessage error={error} />
        {newKey && <NewAccessKey accessKey={newKey} />}
        {keys.loading && !keys.data && <Loading />}
        {keys.error ? (
          keys.error instanceof ApiError && keys.error.code === 'AccessDenied' ? <NotReadable what="your access keys" action="iam:ListAccessKeys" /> : <ErrorMessage error={keys.error} />
        ) : (
          <ul className="plain">
            {(keys.data ?? []).map((k) => (
              <li key={k.AccessKeyId}>
                <code>{k.AccessKeyId}</code> {k.Status}, created {formatDate(k.CreateDate)}{' '}
                <Action variant="link" check={check('iam:UpdateAccessKey')} onClick={() => void run(() => api.patch(`${base}/access-keys/${seg(k.AccessKeyId)}`, { Status: k.Status === 'Active' ? 'Inactive' : 'Active' }))}>
                  {k.Status === 'Active' ? 'Deactivate' : 'Activate'}
                </Action>{' '}
                <Action variant="link" check={check('iam:DeleteAccessKey')} onClick={() => void run(() => api.delete(`${base}/access-keys/${seg(k.AccessKeyId)}`))}>
                  Delete
                </Action>
              </li>
            ))}
            {keys.data?.length === 0 && <li className="muted">No access keys.</li>}
          </ul>
        )}
        <Action check={check('iam:CreateAccessKey')} disabled={(keys.data?.length ?? 0) >= 2} onClick={() => void run(async () => setNewKey((await api.post<{ AccessKey: AccessKey & { SecretAccessKey: string } }>(`${base}/access-keys`)).AccessKey))}>
          Create access key
        </Action>
      </section>
    </>
  );
}
