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
import { checkDataDir, checkPortFree, describeBinding } from './preflight';

const StandaloneEnv = z.object({
  ...IdentityEnv.shape,
  ...DirectoryEnv.shape,
  ...AuthorizationEnv.shape,
  ...GatewayEnv.shape,
  /** Optional here: without it the embedded PostgreSQL is used. */
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url('must be a postgres:// URL').optional()),
  IAM_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
  IAM_DATA_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('./data')),
  /** This machine only, unless HOST opens it to the network. */
  HOST: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('127.0.0.1')),
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
  // Before anything is generated in a new data folder: the folder can hold data, the port is free.
  checkDataDir(env.IAM_DATA_DIR);
  await checkPortFree(env.HOST, env.PORT);
  const dataLock = await lockDataDir(dataDir);
  const closing: Array<{ close(): Promise<unknown> }> = [dataLock];
  try {
    await serveFrom(env, dataDir, logger, closing);
  } catch (error) {
    for (const part of closing.reverse()) await part.close().catch(() => undefined);
    throw error;
  }
}

async function serveFrom(env: StandaloneEnv, dataDir: string, logger: ReturnType<typeof createLogger>, closing: Array<{ close(): Promise<unknown> }>): Promise<void> {
  // On stdout, after the logs there: the same stream keeps them in order.
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const loggers = [logger, ...['identity', 'directory', 'authorization', 'gateway'].map((app) => createLogger(app, env.LOG_LEVEL))];
  const root = env.IAM_ROOT_ACCESS_KEY_ID
    ? { accessKeyId: env.IAM_ROOT_ACCESS_KEY_ID, secretAccessKey: env.IAM_ROOT_SECRET_ACCESS_KEY }
    : rootCredentialsIn(dataDir);
  const masterKeys = env.IAM_MASTER_KEY
    ? { key: env.IAM_MASTER_KEY, previous: env.IAM_MASTER_KEY_PREVIOUS }
    : masterKeyIn(dataDir);

  const database = await databaseFor(env, dataDir, logger);
  closing.push(database);
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
    logger: loggers[1],
  });
  closing.push(identity);
  const directory = await startService({
    name: 'directory',
    module: DirectoryServiceModule.register(on(database, directoryOptions(resolved, transport))),
    transport,
    logger: loggers[2],
  });
  closing.push(directory);
  const authorization = await startService({
    name: 'authorization',
    module: AuthorizationServiceModule.register(on(database, authorizationOptions(resolved, transport))),
    transport,
    logger: loggers[3],
  });
  closing.push(authorization);
  const gateway = await startGateway({
    ...gatewayOptions(resolved, transport),
    // The web console's build sits beside this app's in dist (dist/apps/console).
    consoleDir: env.IAM_CONSOLE_DIR ?? resolve(__dirname, '../console'),
    host: env.HOST,
    port: env.PORT,
    logger: loggers[4],
  });
  closeOnSignals(logger, [gateway, identity, directory, authorization, database, closing[0]]);

  const { url, reach } = describeBinding(env.HOST, await gateway.getUrl());
  logger.info({ host: env.HOST, port: env.PORT, url, dataDir }, 'iam is listening');
  // The last lines, plain, after the logs (written out first): where to go and where the keys are.
  // Nest's start-up messages may still be on their way to the loggers: let them arrive, then flush.
  await new Promise((done) => setTimeout(done, 100));
  await Promise.all(loggers.map((each) => new Promise<void>((done) => (each.flush ? each.flush(() => done()) : done()))));
  say('');
  say(`IAM is listening on ${url} (${reach}; data in ${dataDir}).`);
  say(`Web console: ${url}/console/ (${env.IAM_ROOT_PASSWORD ? 'sign in as root with IAM_ROOT_PASSWORD' : 'to sign in as root, start with IAM_ROOT_PASSWORD set'}).`);
  say(`API explorer: ${url}/docs`);
  if ('path' in root) {
    say(`Root access keys ${root.created ? 'generated and stored' : 'are'} in ${root.path} (readable by you only).`);
  } else {
    say('Root access keys: the ones in IAM_ROOT_ACCESS_KEY_ID and IAM_ROOT_SECRET_ACCESS_KEY.');
  }
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
