import { AuthorizationEnv, authorizationOptions, AuthorizationServiceModule } from '@iam/authorization-service';
import { DirectoryEnv, directoryOptions, DirectoryServiceModule } from '@iam/directory-service';
import { GatewayEnv, gatewayOptions, startGateway } from '@iam/gateway-http';
import { IdentityEnv, identityOptions, IdentityServiceModule, rotateMasterKey, rotationReport } from '@iam/identity-service';
import {
  BusTransport,
  checkRootCredentials,
  closeOnSignals,
  ConfigError,
  createLogger,
  DatabaseAccess,
  InProcessBroker,
  loadConfig,
  runMain,
  startService,
} from '@iam/platform';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { beginMasterKeyRotation, finishMasterKeyRotation, lockDataDir, masterKeyIn, rootCredentialsIn } from './data-dir';
import { startEmbeddedPostgres } from './embedded-postgres';

const StandaloneEnv = z.object({
  ...IdentityEnv.shape,
  ...DirectoryEnv.shape,
  ...AuthorizationEnv.shape,
  ...GatewayEnv.shape,
  /** Optional here: without it the embedded PostgreSQL is used. */
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url('must be a postgres:// URL').optional()),
  IAM_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
  IAM_DATA_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('./data')),
});

type StandaloneEnv = z.infer<typeof StandaloneEnv>;

/** `DATABASE_URL` when given, else the embedded PostgreSQL in the data folder (reached in process, without a socket). */
async function databaseFor(env: StandaloneEnv, dataDir: string, logger: ReturnType<typeof createLogger>): Promise<{ url: string; stream?: () => Duplex; close(): Promise<void> }> {
  return env.DATABASE_URL
    ? { url: env.DATABASE_URL, close: async () => undefined }
    : startEmbeddedPostgres(resolve(dataDir, 'postgres'), logger);
}

/** A service's options with its connections going to `database` (in process, for the embedded one). */
function on<T extends { database: DatabaseAccess }>(database: { stream?: () => Duplex }, options: T): T {
  return { ...options, database: { ...options.database, stream: database.stream } };
}

/**
 * The whole system in one process: the three services and the gateway, an
 * in-process bus in place of NATS, and an embedded PostgreSQL keeping its
 * data under IAM_DATA_DIR.
 */
async function serve(): Promise<void> {
  const env = loadConfig(StandaloneEnv);
  checkRootCredentials(env);
  const logger = createLogger('iam', env.LOG_LEVEL);
  const dataDir = resolve(env.IAM_DATA_DIR);
  const dataLock = await lockDataDir(dataDir);
  const say = (line: string) => process.stderr.write(`${line}\n`);

  const root = env.IAM_ROOT_ACCESS_KEY_ID
    ? { accessKeyId: env.IAM_ROOT_ACCESS_KEY_ID, secretAccessKey: env.IAM_ROOT_SECRET_ACCESS_KEY }
    : rootCredentialsIn(dataDir);
  if ('path' in root) {
    say(`Root access keys ${root.created ? 'generated and stored' : 'are'} in ${root.path} (readable by you only).`);
  }
  const masterKeys = env.IAM_MASTER_KEY
    ? { key: env.IAM_MASTER_KEY, previous: env.IAM_MASTER_KEY_PREVIOUS }
    : masterKeyIn(dataDir);

  const database = await databaseFor(env, dataDir, logger);
  const resolved = {
    ...env,
    DATABASE_URL: database.url,
    IAM_ROOT_ACCESS_KEY_ID: root.accessKeyId,
    IAM_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
    IAM_MASTER_KEY: masterKeys.key,
    IAM_MASTER_KEY_PREVIOUS: masterKeys.previous,
  };

  const transport: BusTransport = { kind: 'in-process', broker: new InProcessBroker() };
  const identity = await startService({
    name: 'identity',
    module: IdentityServiceModule.register(on(database, identityOptions(resolved, transport))),
    transport,
    logger: createLogger('identity', env.LOG_LEVEL),
  });
  const directory = await startService({
    name: 'directory',
    module: DirectoryServiceModule.register(on(database, directoryOptions(resolved, transport))),
    transport,
    logger: createLogger('directory', env.LOG_LEVEL),
  });
  const authorization = await startService({
    name: 'authorization',
    module: AuthorizationServiceModule.register(on(database, authorizationOptions(resolved, transport))),
    transport,
    logger: createLogger('authorization', env.LOG_LEVEL),
  });
  const gateway = await startGateway({
    ...gatewayOptions(resolved, transport),
    // The web console's build sits beside this app's in dist (dist/apps/console).
    consoleDir: env.IAM_CONSOLE_DIR ?? resolve(__dirname, '../console'),
    host: env.HOST,
    port: env.PORT,
    logger: createLogger('gateway', env.LOG_LEVEL),
  });
  closeOnSignals(logger, [gateway, identity, directory, authorization, database, dataLock]);

  const url = (await gateway.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  say(`IAM is listening on ${url} (data in ${dataDir}).`);
  say(`Web console: ${url}/console/ (${env.IAM_ROOT_PASSWORD ? 'sign in as root with IAM_ROOT_PASSWORD' : 'to sign in as root, start with IAM_ROOT_PASSWORD set'}).`);
}

/**
 * `rotate-master-key`, with the system stopped: re-encrypts every access key secret under a new
 * master key. With the generated key of the data folder, the new key is generated and replaces
 * it there; with IAM_MASTER_KEY set, the secrets under IAM_MASTER_KEY_PREVIOUS are re-encrypted
 * under IAM_MASTER_KEY, as the identity app's command does.
 */
async function rotate(): Promise<void> {
  const env = loadConfig(StandaloneEnv);
  if (env.IAM_MASTER_KEY && !env.IAM_MASTER_KEY_PREVIOUS) {
    throw new ConfigError([
      'IAM_MASTER_KEY_PREVIOUS is required (the key being retired) when IAM_MASTER_KEY is set; unset both to rotate the data folder\'s generated key',
    ]);
  }
  const dataDir = resolve(env.IAM_DATA_DIR);
  const dataLock = await lockDataDir(dataDir);
  try {
    const keys = env.IAM_MASTER_KEY
      ? { key: env.IAM_MASTER_KEY, previous: env.IAM_MASTER_KEY_PREVIOUS as string, path: undefined }
      : beginMasterKeyRotation(dataDir);
    const database = await databaseFor(env, dataDir, createLogger('iam', env.LOG_LEVEL));
    try {
      const result = await rotateMasterKey({ databaseUrl: database.url, databaseStream: database.stream, currentKey: keys.key, previousKey: keys.previous });
      const report = rotationReport('iam rotate-master-key', result, keys.path ? `; the new key is in ${keys.path}` : '');
      process.stdout.write(`${report.summary}\n`);
      if (report.problem) {
        process.stderr.write(`${report.problem}\n`);
        process.exitCode = 1;
      } else if (keys.path) {
        finishMasterKeyRotation(dataDir);
      }
    } finally {
      await database.close();
    }
  } finally {
    await dataLock.close();
  }
}

if (process.argv[2] === 'rotate-master-key') {
  runMain('iam rotate-master-key', async () => {
    await rotate();
    process.exit();
  });
} else {
  runMain('iam', serve);
}
