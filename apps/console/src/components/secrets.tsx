import { accessKeyCsv, credentialsCsv } from '../lib/csv';
import { CopyButton, download } from './ui';

/** A new access key: the secret shown this once, with copy and a CSV download like AWS's. */
export function NewAccessKey({ accessKey }: { accessKey: { UserName: string; AccessKeyId: string; SecretAccessKey: string } }) {
  const csv = accessKeyCsv(accessKey);
  return (
    <div className="secret-box" data-testid="new-access-key">
      <p>
        <strong>This is the only time the secret access key can be viewed or downloaded.</strong> You cannot recover it later; you can create a new key.
      </p>
      <dl className="pairs">
        <dt>Access key ID</dt>
        <dd>
          <code data-testid="access-key-id">{accessKey.AccessKeyId}</code> <CopyButton text={accessKey.AccessKeyId} label="Copy access key ID" />
        </dd>
        <dt>Secret access key</dt>
        <dd>
          <code data-testid="secret-access-key">{accessKey.SecretAccessKey}</code> <CopyButton text={accessKey.SecretAccessKey} label="Copy secret access key" />
        </dd>
      </dl>
      <button type="button" className="btn btn-secondary" onClick={() => download(csv.fileName, csv.text)}>
        Download .csv file
      </button>
    </div>
  );
}

/** A console password chosen or generated here: shown this once. */
export function NewPassword({ userName, password, mustChange }: { userName: string; password: string; mustChange: boolean }) {
  const url = `${location.origin}/console/`;
  const csv = credentialsCsv({ UserName: userName, Password: password, ConsoleUrl: url });
  return (
    <div className="secret-box" data-testid="new-password">
      <p>
        <strong>Console password for {userName}</strong> — shown only now.{mustChange ? ' The user must change it at the next sign-in.' : ''}
      </p>
      <dl className="pairs">
        <dt>Console sign-in URL</dt>
        <dd>
          <code>{url}</code>
        </dd>
        <dt>Password</dt>
        <dd>
          <code data-testid="console-password">{password}</code> <CopyButton text={password} label="Copy password" />
        </dd>
      </dl>
      <button type="button" className="btn btn-secondary" onClick={() => download(csv.fileName, csv.text)}>
        Download .csv file
      </button>
    </div>
  );
}
