import { randomBytes } from 'node:crypto';
import { signedFetch, type Credentials } from './gateway';

/**
 * A realistic session with secrets in it, through the REST front: users with passwords, access
 * keys, sign-ins and sign-outs, password changes, refused attempts (wrong password, a password the
 * policy refuses, a wrong secret key, a bogus session token). Every secret it handles is collected,
 * and so is the body of every answer that was an error, for the spec to look for secrets in.
 */
export interface SecretsSeen {
  /** Each secret with a name for the report (`password of alice`, ...). */
  secrets: Map<string, string>;
  /** The text of every error answer (status ≥ 400). */
  errorBodies: string[];
  /** How many calls were made and how many succeeded, to prove the session really ran. */
  calls: number;
  succeeded: number;
}

const password = (label: string) => `${label}-${randomBytes(9).toString('base64url')}-Aa1!`;

export async function runSecretsSession(base: string, root: Credentials, rootPassword: string | undefined, seen: SecretsSeen): Promise<{ keys: Map<string, Credentials> }> {
  const keys = new Map<string, Credentials>();
  const record = async (response: Response): Promise<{ status: number; json: Record<string, unknown> }> => {
    seen.calls++;
    const text = await response.text();
    if (response.status >= 400) seen.errorBodies.push(text);
    else seen.succeeded++;
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const signed = async (credentials: Credentials, method: string, path: string, payload?: unknown) =>
    record(
      await signedFetch(base, credentials, {
        method,
        path,
        ...(payload !== undefined ? { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } } : {}),
      }),
    );
  const unsigned = async (method: string, path: string, payload?: unknown, token?: string) =>
    record(
      await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
      }),
    );
  const expectStatus = (what: string, got: { status: number; json: unknown }, status: number) => {
    if (got.status !== status) throw new Error(`${what}: expected ${status}, got ${got.status} ${JSON.stringify(got.json)}`);
  };
  const expectRefused = (what: string, got: { status: number; json: unknown }) => {
    if (got.status < 400 || got.status >= 500) throw new Error(`${what}: expected a refusal, got ${got.status} ${JSON.stringify(got.json)}`);
  };
  const newKey = async (user: string) => {
    const created = await signed(root, 'POST', `/v1/users/${user}/access-keys`);
    expectStatus(`CreateAccessKey ${user}`, created, 201);
    const key = created.json['AccessKey'] as { AccessKeyId: string; SecretAccessKey: string };
    seen.secrets.set(`secret access key ${key.AccessKeyId} of ${user}`, key.SecretAccessKey);
    return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  };

  // An account password policy, and a password it refuses (the refusal must not repeat it).
  expectStatus('UpdateAccountPasswordPolicy', await signed(root, 'PUT', '/v1/account/password-policy', { MinimumPasswordLength: 14, AllowUsersToChangePassword: true }), 204);
  const readSelf = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
  for (const name of ['alice', 'bob']) {
    expectStatus(`CreateUser ${name}`, await signed(root, 'POST', '/v1/users', { UserName: name }), 201);
    expectStatus(`PutUserPolicy ${name}`, await signed(root, 'PUT', `/v1/users/${name}/policies/read`, { PolicyDocument: readSelf }), 204);
  }
  const tooShort = `Ab1!${randomBytes(3).toString('hex')}`;
  seen.secrets.set('a password the policy refused', tooShort);
  const refused = await signed(root, 'POST', '/v1/users/alice/login-profile', { Password: tooShort });
  if (refused.status < 400) throw new Error('a 10-character password passed a 14-character policy');

  const passwords: Record<string, string> = { alice: password('alice'), bob: password('bob') };
  for (const [name, value] of Object.entries(passwords)) {
    seen.secrets.set(`password of ${name}`, value);
    expectStatus(`CreateLoginProfile ${name}`, await signed(root, 'POST', `/v1/users/${name}/login-profile`, { Password: value, PasswordResetRequired: false }), 201);
  }

  // Keys: created, used, one deleted, a wrong secret refused.
  for (const name of ['alice', 'bob']) keys.set(name, await newKey(name));
  const extra = await newKey('bob');
  expectStatus('GetUser as alice', await signed(keys.get('alice') as Credentials, 'GET', '/v1/me'), 200);
  expectStatus('GetUser as bob', await signed(extra, 'GET', '/v1/me'), 200);
  const wrongSecret = { accessKeyId: extra.accessKeyId, secretAccessKey: randomBytes(30).toString('base64').slice(0, 40) };
  seen.secrets.set('a wrong secret access key', wrongSecret.secretAccessKey);
  expectRefused('a wrong secret', await signed(wrongSecret, 'GET', '/v1/me'));
  expectStatus('DeleteAccessKey', await signed(root, 'DELETE', `/v1/users/bob/access-keys/${extra.accessKeyId}`), 204);
  expectRefused('a deleted key', await signed(extra, 'GET', '/v1/me'));

  // Sign-ins: a wrong password, the right one, the session used, the password changed, signed out.
  const wrongPassword = password('wrong');
  seen.secrets.set('a wrong password', wrongPassword);
  expectRefused('a wrong password', await unsigned('POST', '/v1/sessions', { UserName: 'alice', Password: wrongPassword }));
  const session = await unsigned('POST', '/v1/sessions', { UserName: 'alice', Password: passwords['alice'] });
  expectStatus('sign-in alice', session, 201);
  const token = String(session.json['SessionToken']);
  seen.secrets.set('session token of alice', token);
  expectStatus('GET /v1/me with the session', await unsigned('GET', '/v1/me', undefined, token), 200);
  const wrongOld = password('not-the-old-one');
  seen.secrets.set('a wrong old password', wrongOld);
  const badChange = await unsigned('POST', '/v1/me/password', { OldPassword: wrongOld, NewPassword: password('never-set') }, token);
  if (badChange.status < 400) throw new Error('ChangePassword with a wrong old password succeeded');
  const changed = password('alice-changed');
  seen.secrets.set('changed password of alice', changed);
  expectStatus('ChangePassword', await unsigned('POST', '/v1/me/password', { OldPassword: passwords['alice'], NewPassword: changed }, token), 204);
  expectRefused('the session after a password change', await unsigned('GET', '/v1/me', undefined, token));
  expectRefused('the old password', await unsigned('POST', '/v1/sessions', { UserName: 'alice', Password: passwords['alice'] }));
  const second = await unsigned('POST', '/v1/sessions', { UserName: 'alice', Password: changed });
  expectStatus('sign-in alice again', second, 201);
  const secondToken = String(second.json['SessionToken']);
  seen.secrets.set('second session token of alice', secondToken);
  expectStatus('sign-out', await unsigned('DELETE', '/v1/sessions/current', undefined, secondToken), 204);
  expectRefused('the session after sign-out', await unsigned('GET', '/v1/me', undefined, secondToken));

  // An administrator resets bob's password; bob signs in with it.
  const reset = password('bob-reset');
  seen.secrets.set('reset password of bob', reset);
  expectStatus('UpdateLoginProfile bob', await signed(root, 'PATCH', '/v1/users/bob/login-profile', { Password: reset }), 204);
  const bobSession = await unsigned('POST', '/v1/sessions', { UserName: 'bob', Password: reset });
  expectStatus('sign-in bob', bobSession, 201);
  seen.secrets.set('session token of bob', String(bobSession.json['SessionToken']));

  if (rootPassword) {
    const rootSession = await unsigned('POST', '/v1/sessions', { Root: true, Password: rootPassword });
    expectStatus('sign-in root', rootSession, 201);
    seen.secrets.set('session token of root', String(rootSession.json['SessionToken']));
    expectStatus('root session', await unsigned('GET', '/v1/users/alice', undefined, String(rootSession.json['SessionToken'])), 200);
  }
  // Secrets where they do not belong: a bogus bearer token and a password in a user name are refused without being repeated.
  const bogus = `tok-${randomBytes(24).toString('hex')}`;
  seen.secrets.set('a bogus session token', bogus);
  expectRefused('a bogus session token', await unsigned('GET', '/v1/me', undefined, bogus));
  return { keys };
}

/** The forms a secret may take when stored or logged carelessly: as given, base64, hex. */
export function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, bytes.toString('base64').replace(/=+$/, ''), bytes.toString('hex')];
  // A base64 key (the master key) also as the hex and base64url of its bytes.
  if (/^[A-Za-z0-9+/]{40,}={0,2}$/.test(secret)) {
    const raw = Buffer.from(secret, 'base64');
    forms.push(raw.toString('hex'), raw.toString('base64url'));
  }
  return forms.filter((form) => form.length >= 8);
}

/** Every (secret, place) where a secret appears in a text. */
export function findSecrets(secrets: Map<string, string>, texts: Iterable<{ where: string; text: string }>): string[] {
  const found: string[] = [];
  const needles = [...secrets].flatMap(([name, secret]) => formsOf(secret).map((form) => ({ name, form })));
  for (const { where, text } of texts) {
    for (const { name, form } of needles) if (text.includes(form)) found.push(`${name} in ${where}: ${text.slice(Math.max(0, text.indexOf(form) - 80), text.indexOf(form) + form.length + 20)}`);
  }
  return found;
}
