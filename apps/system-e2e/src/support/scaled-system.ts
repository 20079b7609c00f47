import { randomBytes } from 'node:crypto';
import { createTestDatabase, TEST_NATS_URL, type TestDatabase } from '@iam/testing';
import { ACCOUNT, randomRootCredentials, type Credentials } from './gateway';
import { freePort, type RunningProcess, startApp, waitForStatus } from './processes';

export const SERVICES = ['identity', 'directory', 'authorization'] as const;

export interface Replica {
  app: (typeof SERVICES)[number] | 'gateway';
  process: RunningProcess;
  /** The health port (services) or HTTP port (gateways). */
  port: number;
}

/**
 * The distributed mode scaled out, as processes on the shared NATS (a subject prefix of its own)
 * and the shared PostgreSQL (a database of its own): `replicas` of each service and `gateways`
 * gateways, every one ready when this resolves.
 */
export interface ScaledSystem {
  root: Credentials;
  database: TestDatabase;
  services: Replica[];
  gateways: Replica[];
  /** The replicas of one app. */
  of(app: Replica['app']): Replica[];
  /** `kill -9` of every process, then the database dropped. */
  stop(): Promise<void>;
}

export async function startScaledSystem(options: {
  /** Names the system's subject prefix. */
  name: string;
  busTimeoutMs: number;
  replicas?: number;
  gateways?: number;
  /** More environment for gateway `index`. */
  gatewayEnv?: (index: number) => Record<string, string>;
}): Promise<ScaledSystem> {
  const database = await createTestDatabase();
  const root = randomRootCredentials();
  const env = {
    NATS_URL: TEST_NATS_URL,
    DATABASE_URL: database.url,
    IAM_BUS_SUBJECT_PREFIX: `${options.name}${randomBytes(4).toString('hex')}`,
    IAM_ACCOUNT_ID: ACCOUNT,
    IAM_BUS_TIMEOUT_MS: String(options.busTimeoutMs),
    IAM_DB_POOL_SIZE: '3',
    IAM_ROOT_ACCESS_KEY_ID: root.accessKeyId,
    IAM_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
    IAM_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  const services: Replica[] = [];
  const gateways: Replica[] = [];
  const stop = async () => {
    await Promise.all([...services, ...gateways].map((r) => r.process.stop('SIGKILL')));
    await database.drop();
  };
  try {
    for (const app of SERVICES) {
      for (let i = 0; i < (options.replicas ?? 2); i++) {
        const port = await freePort();
        services.push({ app, port, process: startApp(app, { ...env, IAM_HEALTH_PORT: String(port) }) });
      }
    }
    await Promise.all(services.map((r) => waitForStatus(`http://127.0.0.1:${r.port}/health/ready`, 200, 120_000)));
    for (let i = 0; i < (options.gateways ?? 2); i++) {
      const port = await freePort();
      gateways.push({ app: 'gateway', port, process: startApp('gateway', { ...env, ...options.gatewayEnv?.(i), PORT: String(port), HOST: '127.0.0.1' }) });
    }
    await Promise.all(gateways.map((g) => waitForStatus(`http://127.0.0.1:${g.port}/health`, 200, 120_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { root, database, services, gateways, of: (app) => [...services, ...gateways].filter((r) => r.app === app), stop };
}
