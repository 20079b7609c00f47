import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busPermissions, BUS_APPS, type BusApp } from '@iam/contracts';
import { writeNatsCredentials } from '@iam/platform';
import { describeWithNatsServer, describeWithServices, startNatsServer, temporaryFolder, type TestNatsServer } from '@iam/testing';
import { connect, nkeyAuthenticator, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { signedFetch, startDistributedSystem, type Credentials, type RunningSystem } from './support/gateway';
import { freePort, RunningProcess, start, startApp, waitForStatus } from './support/processes';
import { findSecrets, runSecretsSession, type SecretsSeen } from './support/secrets-session';

jest.setTimeout(300_000);

const PREFIX = 'iam';

/**
 * Secrets hygiene: a realistic session (users with passwords, access keys, sign-ins, sessions,
 * password changes, a master key rotation) on the distributed mode as production runs it, with
 * every process's output kept, a subscriber on the bus with each credential that is not identity's
 * own, and every column of every table read afterwards. No password, secret access key, session
 * token or master key may appear in a log line, an error body, a bus message such a subscriber
 * can see, or a database column. The embedded default's output is held to the same rule.
 */
describeWithServices('secrets hygiene', () => {
  describeWithNatsServer('distributed mode on an authenticated bus, debug logging', () => {
    const folder = temporaryFolder('secrets');
    let nats: TestNatsServer;
    let system: RunningSystem;
    let seedFiles: Record<BusApp, string>;
    const extraProcesses: RunningProcess[] = [];
    const spies: NatsConnection[] = [];
    /** What the subscribers saw, by credential. */
    const overheard: { where: string; text: string }[] = [];
    const refusals: string[] = [];
    const seen: SecretsSeen = { secrets: new Map(), errorBodies: [], calls: 0, succeeded: 0 };
    let keys: Map<string, Credentials>;

    beforeAll(async () => {
      const credentials = writeNatsCredentials(folder.path, { prefix: PREFIX });
      seedFiles = credentials.seedFiles;
      nats = await startNatsServer({ configFile: credentials.configFile });
      const appEnv = Object.fromEntries(Object.entries(seedFiles).map(([app, file]) => [app, { IAM_NATS_NKEY_SEED_FILE: file }]));
      system = await startDistributedSystem({ NATS_URL: nats.url, IAM_BUS_SUBJECT_PREFIX: PREFIX, NODE_ENV: 'production', LOG_LEVEL: 'debug' }, appEnv);
      seen.secrets.set('root secret access key', system.root.secretAccessKey);
      seen.secrets.set('root password', system.rootPassword);
      seen.secrets.set('master key', system.env['IAM_MASTER_KEY']);
      for (const app of BUS_APPS) seen.secrets.set(`NKey seed of ${app}`, readFileSync(seedFiles[app], 'utf8').trim());

      // The subscribers: every credential but identity's (identity is where passwords go), on every
      // subject it may subscribe to, and on everything ('>'), which the server refuses.
      for (const app of BUS_APPS.filter((a) => a !== 'identity')) {
        const spy = await connect({
          servers: nats.url,
          timeout: 30_000,
          // A loaded machine may miss the first dial.
          waitOnFirstConnect: true,
          authenticator: nkeyAuthenticator(new TextEncoder().encode(readFileSync(seedFiles[app], 'utf8').trim())),
        });
        spies.push(spy);
        const subjects = busPermissions(app, PREFIX).subscribe.filter((subject) => !(app === 'gateway' && subject.startsWith('_INBOX.')));
        for (const subject of ['>', '_INBOX.>', ...subjects]) {
          spy.subscribe(subject, {
            callback: (error, message) => {
              if (error) refusals.push(`${app} ${subject}: ${error.message}`);
              else overheard.push({ where: `a bus message on ${message.subject} seen with the ${app} credential`, text: new TextDecoder().decode(message.data) });
            },
          });
        }
        await spy.flush();
      }
    });

    afterAll(async () => {
      await Promise.all(spies.map((spy) => spy.close()));
      await Promise.all(extraProcesses.map((p) => p.stop('SIGKILL')));
      await system?.stop();
      await nats?.stop();
      folder.remove();
    });

    it('refuses an unauthenticated connection to the bus', async () => {
      await expect(connect({ servers: nats.url, reconnect: false, timeout: 30_000 })).rejects.toThrow(/Authorization Violation/i);
    });

    it('runs a session with passwords, keys, sessions and a master key rotation', async () => {
      ({ keys } = await runSecretsSession(system.base, system.root, system.rootPassword, seen));
      // A user deleted with its key and login profile (identity's events reach directory and authorization).
      const asRoot = (method: string, path: string) => signedFetch(system.base, system.root, { method, path });
      const carol = await signedFetch(system.base, system.root, { method: 'POST', path: '/v1/users', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ UserName: 'carol' }) });
      expect(carol.status).toBe(201);
      expect((await asRoot('DELETE', '/v1/users/carol')).status).toBe(204);

      // The master key rotated as an operator does it: identity on the new key with the previous one, the command, identity on the new key alone.
      const previous = system.env['IAM_MASTER_KEY'];
      const next = randomBytes(32).toString('base64');
      seen.secrets.set('new master key', next);
      const identityEnv = { ...system.env, IAM_NATS_NKEY_SEED_FILE: seedFiles['identity'] };
      await system.processes['identity'].stop('SIGTERM');
      const during = startApp('identity', { ...identityEnv, IAM_MASTER_KEY: next, IAM_MASTER_KEY_PREVIOUS: previous });
      extraProcesses.push(during);
      await during.waitForLine(/is listening on the bus/);
      const rotation = start('rotate-master-key', process.execPath, ['dist/apps/identity/main.js', 'rotate-master-key'], { ...identityEnv, IAM_MASTER_KEY: next, IAM_MASTER_KEY_PREVIOUS: previous });
      extraProcesses.push(rotation);
      expect(await rotation.waitForExit()).toBe(0);
      expect(rotation.lines.join('\n')).toMatch(/re-encrypted \d+ access key secret/);
      await during.stop('SIGTERM');
      const after = startApp('identity', { ...identityEnv, IAM_MASTER_KEY: next });
      extraProcesses.push(after);
      await after.waitForLine(/is listening on the bus/);
      for (let attempt = 0; ; attempt++) {
        const me = await signedFetch(system.base, keys.get('alice') as Credentials, { method: 'GET', path: '/v1/me' });
        if (me.status === 200) break;
        if (attempt > 40) throw new Error(`alice's key after the rotation: ${me.status} ${await me.text()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      for (const spy of spies) await spy.flush();
      expect(seen.succeeded).toBeGreaterThan(20);
      expect(seen.errorBodies.length).toBeGreaterThan(5);
    });

    it('shows no secret in any log line of any process', () => {
      const lines = [...Object.values(system.processes), ...extraProcesses].flatMap((p) => p.lines.map((text) => ({ where: `the output of ${p.name}`, text })));
      // Debug logging of every app was on: there is something to look at.
      expect(lines.length).toBeGreaterThan(100);
      expect(findSecrets(seen.secrets, lines)).toEqual([]);
    });

    it('shows no secret in any error body', () => {
      expect(findSecrets(seen.secrets, seen.errorBodies.map((text, i) => ({ where: `error body #${i}`, text })))).toEqual([]);
    });

    it('shows no secret in any bus message another credential can see, and refuses those credentials everything else', () => {
      // The subscribers did see traffic: requests to the services they are, their replies, the events they handle.
      expect(overheard.length).toBeGreaterThan(10);
      expect(refusals.filter((line) => / >: /.test(line) || line.includes('_INBOX.>')).length).toBe(2 * 3);
      expect(findSecrets(seen.secrets, overheard)).toEqual([]);
    });

    it('keeps no secret in clear in any column of any table', async () => {
      const client = new Client({ connectionString: system.env['DATABASE_URL'] });
      await client.connect();
      const texts: { where: string; text: string }[] = [];
      try {
        const tables = await client.query<{ schema: string; table: string }>(
          `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
           WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
        );
        for (const { schema, table } of tables.rows) {
          const rows = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${schema}"."${table}" t`);
          for (const { row } of rows.rows) texts.push({ where: `a row of ${schema}.${table}`, text: row });
        }
      } finally {
        await client.end();
      }
      // The users, their keys and login profiles are in there.
      expect(texts.filter((t) => t.text.includes('"alice"')).length).toBeGreaterThan(0);
      expect(texts.filter((t) => t.text.includes((keys.get('bob') as Credentials).accessKeyId)).length).toBeGreaterThan(0);
      expect(findSecrets(seen.secrets, texts)).toEqual([]);
    });
  });

  describe('the embedded default (npm start without configuration), debug logging', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'iam-secrets-embedded-'));
    let app: RunningProcess | undefined;

    afterAll(async () => {
      await app?.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('prints no secret while serving the same session', async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const rootPassword = `Root-${randomBytes(6).toString('hex')}-Pw1!`;
      const env = { DATABASE_URL: '', NATS_URL: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '', CI: '', PORT: String(port), IAM_DATA_DIR: dataDir, IAM_ROOT_PASSWORD: rootPassword, LOG_LEVEL: 'debug' };
      app = startApp('standalone', env);
      const started = app;
      await waitForStatus(`${base}/health`, 200, 180_000).catch((error: Error) => {
        throw new Error(`${error.message}; its output:\n${started.lines.slice(-20).join('\n')}`);
      });
      const root = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8')) as Credentials;
      const seen: SecretsSeen = { secrets: new Map(), errorBodies: [], calls: 0, succeeded: 0 };
      seen.secrets.set('root secret access key', root.secretAccessKey);
      seen.secrets.set('root password', rootPassword);
      seen.secrets.set('master key', readFileSync(join(dataDir, 'master.key'), 'utf8').trim());
      await runSecretsSession(base, root, rootPassword, seen);
      expect(seen.succeeded).toBeGreaterThan(20);
      const lines = app.lines.map((text) => ({ where: 'the output of the embedded default', text }));
      expect(lines.length).toBeGreaterThan(20);
      expect(findSecrets(seen.secrets, [...lines, ...seen.errorBodies.map((text, i) => ({ where: `error body #${i}`, text }))])).toEqual([]);
    });
  });
});
