import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as iam from '@aws-sdk/client-iam';
import { CURSOR_PARAMS, OPERATIONS } from '@iam/gateway-http';
import { createTestDatabase, presignHttp, signHttp, TEST_NATS_URL, type TestDatabase } from '@iam/testing';
import { freePort, RunningProcess, startApp, waitForStatus } from './processes';

export const ACCOUNT = '123456789012';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A whole system for a spec: the three services and the gateway as processes over NATS and PostgreSQL. */
export interface RunningSystem {
  base: string;
  root: Credentials;
  rootPassword: string;
  processes: Record<string, RunningProcess>;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Random root keys of the shapes the configuration requires. */
export function randomRootCredentials(): Credentials {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = 'AKIA';
  for (const byte of randomBytes(16)) id += alphabet[byte % 32];
  return { accessKeyId: id, secretAccessKey: randomBytes(30).toString('base64').replace(/[+/]/g, 'A') };
}

/**
 * Starts identity, directory, authorization and the gateway as processes on a fresh database and NATS prefix;
 * `appEnv` adds variables for one app only (its bus credential, for one).
 */
export async function startDistributedSystem(extraEnv: Record<string, string> = {}, appEnv: Record<string, Record<string, string>> = {}): Promise<RunningSystem> {
  const database: TestDatabase = await createTestDatabase();
  const root = randomRootCredentials();
  const rootPassword = `Root-${randomBytes(6).toString('hex')}-Pw1!`;
  const env: Record<string, string> = {
    NATS_URL: TEST_NATS_URL,
    DATABASE_URL: database.url,
    IAM_BUS_SUBJECT_PREFIX: `gw${randomBytes(4).toString('hex')}`,
    IAM_ACCOUNT_ID: ACCOUNT,
    IAM_BUS_TIMEOUT_MS: '5000',
    IAM_DB_POOL_SIZE: '3',
    IAM_ROOT_ACCESS_KEY_ID: root.accessKeyId,
    IAM_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
    IAM_ROOT_PASSWORD: rootPassword,
    IAM_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info',
    // The four built-in AWS managed policies; the catalogue's own spec asks for the whole catalogue.
    IAM_AWS_MANAGED_POLICIES: 'builtin',
    ...extraEnv,
  };
  const processes: Record<string, RunningProcess> = {};
  try {
    await Promise.all(
      ['identity', 'directory', 'authorization'].map(async (name) => {
        processes[name] = startApp(name, { ...env, ...appEnv[name] });
        await processes[name].waitForLine(/is listening on the bus/);
      }),
    );
    const port = await freePort();
    processes['gateway'] = startApp('gateway', { ...env, ...appEnv['gateway'], PORT: String(port), HOST: '127.0.0.1' });
    const base = `http://127.0.0.1:${port}`;
    await waitForStatus(`${base}/health`);
    return {
      base,
      root,
      rootPassword,
      processes,
      env,
      stop: async () => {
        await Promise.all(Object.values(processes).map((p) => p.stop('SIGKILL')));
        await database.drop();
      },
    };
  } catch (error) {
    await Promise.all(Object.values(processes).map((p) => p.stop('SIGKILL')));
    await database.drop();
    throw error;
  }
}

// ── Signing ────────────────────────────────────────────────────────────────


/** Sends a request signed with SigV4 (service `iam`) by the official signer. */
export async function signedFetch(
  base: string,
  credentials: Credentials,
  request: { method: string; path: string; query?: Record<string, string>; headers?: Record<string, string>; body?: string },
  options: { region?: string; signingDate?: Date } = {},
): Promise<Response> {
  const { url, headers } = await signHttp(base, credentials, request, options);
  return fetch(url, { method: request.method, headers, ...(request.body !== undefined ? { body: request.body } : {}) });
}

/** A presigned URL (SigV4 in the query string, service `iam`) for a GET. */
export function presignedUrl(base: string, credentials: Credentials, path: string, query: Record<string, string>, expiresIn = 300): Promise<string> {
  return presignHttp(base, credentials, { path, query }, { expiresIn });
}

/** A Query API request signed with SigV4, for what SDKs cannot send (unknown actions). */
export function signedQuery(base: string, credentials: Credentials, params: Record<string, string>): Promise<Response> {
  return signedFetch(base, credentials, {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Version: '2010-05-08', ...params }).toString(),
  });
}

// ── One case, three ways ─────────────────────────────────────────────────

/** What a call gave: the result, or the AWS error code (with the HTTP status when the front shows it). */
export type Outcome =
  | { ok: true; result: Record<string, unknown> }
  | { ok: false; code: string; status?: number; message: string };

/** Calls one AWS IAM action with AWS's parameters through one front, as one principal. */
export type Driver = (credentials: Credentials, action: string, params: Record<string, unknown>) => Promise<Outcome>;

/** Through `@aws-sdk/client-iam` against the Query API. */
export function sdkDriver(base: string): Driver {
  return async (credentials, action, params) => {
    const client = new iam.IAMClient({ endpoint: base, region: 'us-east-1', credentials, maxAttempts: 1 });
    const Command = (iam as unknown as Record<string, new (input: unknown) => unknown>)[`${action}Command`];
    if (!Command) throw new Error(`@aws-sdk/client-iam has no ${action}Command`);
    try {
      const result = (await client.send(new Command(params) as never)) as unknown as Record<string, unknown>;
      return { ok: true, result };
    } catch (error) {
      const e = error as { name: string; message: string; Code?: string; Error?: { Code?: string }; $metadata?: { httpStatusCode?: number } };
      if (!e.$metadata) throw error;
      // Modelled errors become classes named `<Code>Exception`; the wire code is AWS's.
      const code = e.Code ?? e.Error?.Code ?? e.name.replace(/Exception$/, '');
      return { ok: false, code, status: e.$metadata.httpStatusCode ?? 0, message: e.message };
    } finally {
      client.destroy();
    }
  };
}

/** Where the AWS CLI is, or a clear failure: the CLI specs must not pass without it. */
export function requireAwsCli(): string {
  const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'The AWS CLI (`aws`) is needed by this spec and was not found on PATH: install it (pip install awscli, or AWS CLI v2) and run again.',
    );
  }
  return (probe.stdout || probe.stderr).trim();
}

/** `CreateUser` → `create-user`. */
export function cliCommand(action: string): string {
  return action.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Through the AWS CLI (`aws iam <command> --cli-input-json ... --endpoint-url ...`), with throwaway config files. */
export function cliDriver(base: string): Driver {
  const home = mkdtempSync(join(tmpdir(), 'iam-cli-'));
  writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
  writeFileSync(join(home, 'credentials'), '');
  return (credentials, action, params) =>
    new Promise((resolve, reject) => {
      const args = ['iam', cliCommand(action), '--endpoint-url', base, '--region', 'us-east-1', '--output', 'json', '--no-paginate'];
      if (Object.keys(params).length > 0) args.push('--cli-input-json', JSON.stringify(params));
      execFile(
        'aws',
        args,
        {
          env: {
            PATH: process.env['PATH'] ?? '',
            HOME: home,
            AWS_CONFIG_FILE: join(home, 'config'),
            AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
            AWS_ACCESS_KEY_ID: credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
            AWS_MAX_ATTEMPTS: '1',
            AWS_RETRY_MODE: 'standard',
            AWS_EC2_METADATA_DISABLED: 'true',
          },
          timeout: 60_000,
        },
        (error, stdout, stderr) => {
          if (!error) {
            resolve({ ok: true, result: stdout.trim() ? JSON.parse(stdout) : {} });
            return;
          }
          const match = /An error occurred \(([A-Za-z]+)\) when calling the \w+ operation(?: \(reached max retries: \d+\))?: (.*)/s.exec(stderr);
          if (!match) {
            reject(new Error(`aws ${args.join(' ')} failed without an AWS error: ${stderr || error.message}`));
            return;
          }
          resolve({ ok: false, code: match[1], message: match[2].trim() });
        },
      );
    });
}

/**
 * Through the REST front: the action's route from the gateway's operation table (path members
 * percent-encoded, the rest as query parameters or JSON body), signed with SigV4.
 */
export function restDriver(base: string): Driver {
  return async (credentials, action, params) => {
    // GetUser without a name is the caller: GET /v1/me.
    const name = action === 'GetUser' && params['UserName'] === undefined ? 'GetCallerUser' : action;
    const operation = OPERATIONS.find((o) => o.name === name);
    if (!operation?.rest) throw new Error(`${action} has no REST route`);
    const { method, path: template, listParams = {} } = operation.rest;
    const rest: Record<string, unknown> = { ...params };
    const path = template.replace(/\{(\w+)\}/g, (_, member: string) => {
      const value = rest[member];
      delete rest[member];
      if (value === undefined) throw new Error(`${action} needs ${member} for its REST path`);
      return encodeURIComponent(String(value));
    });
    const from = operation.rest.from ?? (method === 'GET' || method === 'DELETE' ? 'query' : 'body');
    let query: Record<string, string> | undefined;
    let body: string | undefined;
    if (from === 'query') {
      query = {};
      const listName = Object.fromEntries(Object.entries(listParams).map(([q, m]) => [m, q]));
      const cursorName = Object.fromEntries(Object.entries(CURSOR_PARAMS).map(([q, m]) => [m, q]));
      for (const [member, value] of Object.entries(rest)) {
        const name = listName[member] ?? cursorName[member] ?? member.charAt(0).toLowerCase() + member.slice(1);
        query[name] = Array.isArray(value) ? value.join(',') : String(value);
      }
    } else if (Object.keys(rest).length > 0) {
      body = JSON.stringify(rest);
    }
    const response = await signedFetch(base, credentials, {
      method,
      path,
      ...(query ? { query } : {}),
      ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (response.ok) return { ok: true, result: json };
    return { ok: false, code: String(json['code']), status: response.status, message: String(json['message']) };
  };
}

/** The result of a call that must succeed. */
export async function expectOk(outcome: Promise<Outcome>): Promise<Record<string, unknown>> {
  const done = await outcome;
  if (!done.ok) throw new Error(`expected success, got ${done.code} (${done.status ?? '-'}): ${done.message}`);
  return done.result;
}
