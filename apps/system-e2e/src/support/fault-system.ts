import { randomBytes } from 'node:crypto';
import { startNatsServer, startPostgresServer, type TestNatsServer, type TestPostgresServer } from '@iam/testing';
import { ACCOUNT, randomRootCredentials, type Credentials } from './gateway';
import { freePort, RunningProcess, startApp, waitForStatus } from './processes';

export const SERVICES = ['identity', 'directory', 'authorization'] as const;
export const APPS = [...SERVICES, 'gateway'] as const;
export type AppName = (typeof APPS)[number];

/**
 * The distributed mode on a NATS and a PostgreSQL of the spec's own (free loopback ports, own
 * folders), so that the spec may restart, kill and pause any of them; the shared servers are
 * never touched. Every process's output is kept (`lines`), including that of processes replaced
 * by a restart.
 */
export interface FaultSystem {
  base: string;
  root: Credentials;
  rootPassword: string;
  masterKey: string;
  busTimeoutMs: number;
  nats: TestNatsServer;
  postgres: TestPostgresServer;
  /** The running process of each app. */
  processes: Record<AppName, RunningProcess>;
  /** Every line every app process printed, in the order of the processes. */
  lines(): string[];
  /** `kill -9` the app and waits until it is gone. */
  kill(app: AppName): Promise<void>;
  /** Starts the app (again) and waits until it is ready. */
  launch(app: AppName): Promise<void>;
  /** Sends SIGSTOP or SIGCONT to the app's process. */
  signal(app: AppName, signal: 'SIGSTOP' | 'SIGCONT'): void;
  stop(): Promise<void>;
}

export async function startFaultSystem(options: { busTimeoutMs: number; extraEnv?: Record<string, string> }): Promise<FaultSystem> {
  const nats = await startNatsServer();
  let postgres: TestPostgresServer | undefined;
  const all: RunningProcess[] = [];
  const processes = {} as Record<AppName, RunningProcess>;
  try {
    postgres = await startPostgresServer();
    const root = randomRootCredentials();
    const rootPassword = `Root-${randomBytes(6).toString('hex')}-Pw1!`;
    const masterKey = randomBytes(32).toString('base64');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      NATS_URL: nats.url,
      DATABASE_URL: postgres.url,
      IAM_BUS_SUBJECT_PREFIX: `faults${randomBytes(3).toString('hex')}`,
      IAM_ACCOUNT_ID: ACCOUNT,
      IAM_BUS_TIMEOUT_MS: String(options.busTimeoutMs),
      IAM_DB_POOL_SIZE: '4',
      IAM_ROOT_ACCESS_KEY_ID: root.accessKeyId,
      IAM_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
      IAM_ROOT_PASSWORD: rootPassword,
      IAM_MASTER_KEY: masterKey,
      LOG_LEVEL: 'info',
      ...options.extraEnv,
    };
    const launch = async (app: AppName) => {
      const started = startApp(app, app === 'gateway' ? { ...env, PORT: String(port), HOST: '127.0.0.1' } : env);
      all.push(started);
      processes[app] = started;
      if (app === 'gateway') await waitForStatus(`${base}/health`, 200, 90_000);
      else await started.waitForLine(/is listening on the bus/, 90_000);
    };
    await Promise.all(SERVICES.map(launch));
    await launch('gateway');
    const pg = postgres;
    return {
      base,
      root,
      rootPassword,
      masterKey,
      busTimeoutMs: options.busTimeoutMs,
      nats,
      postgres: pg,
      processes,
      lines: () => all.flatMap((p) => p.lines),
      kill: async (app) => {
        await processes[app].stop('SIGKILL');
      },
      launch,
      signal: (app, signal) => {
        process.kill(processes[app].child.pid as number, signal);
      },
      stop: async () => {
        await Promise.all(all.map((p) => p.stop('SIGKILL')));
        await pg.remove();
        await nats.stop();
      },
    };
  } catch (error) {
    await Promise.all(all.map((p) => p.stop('SIGKILL')));
    await postgres?.remove();
    await nats.stop();
    throw error;
  }
}
