import { AuthorizationEnv, authorizationOptions, AuthorizationServiceModule } from '@iam/authorization-service';
import { DirectoryEnv, directoryOptions, DirectoryServiceModule } from '@iam/directory-service';
import { GatewayEnv, gatewayOptions, startGateway } from '@iam/gateway-http';
import { IdentityEnv, identityOptions, IdentityServiceModule } from '@iam/identity-service';
import {
  BusTransport,
  checkRootCredentials,
  closeOnSignals,
  createLogger,
  InProcessBroker,
  loadConfig,
  runMain,
  startService,
} from '@iam/platform';
import { resolve } from 'node:path';
import { z } from 'zod';
import { lockDataDir, masterKeyIn, rootCredentialsIn } from './data-dir';
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

/**
 * The whole system in one process: the three services and the gateway, an
 * in-process bus in place of NATS, and an embedded PostgreSQL keeping its
 * data under IAM_DATA_DIR.
 */
runMain('iam', async () => {
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
  const masterKey = env.IAM_MASTER_KEY ?? masterKeyIn(dataDir).key;

  const services = 3;
  const database = env.DATABASE_URL
    ? { url: env.DATABASE_URL, close: async () => undefined }
    : await startEmbeddedPostgres(resolve(dataDir, 'postgres'), services * env.IAM_DB_POOL_SIZE + 4);
  const resolved = {
    ...env,
    DATABASE_URL: database.url,
    IAM_ROOT_ACCESS_KEY_ID: root.accessKeyId,
    IAM_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
    IAM_MASTER_KEY: masterKey,
  };

  const transport: BusTransport = { kind: 'in-process', broker: new InProcessBroker() };
  const identity = await startService({
    name: 'identity',
    module: IdentityServiceModule.register(identityOptions(resolved, transport)),
    transport,
    logger: createLogger('identity', env.LOG_LEVEL),
  });
  const directory = await startService({
    name: 'directory',
    module: DirectoryServiceModule.register(directoryOptions(resolved, transport)),
    transport,
    logger: createLogger('directory', env.LOG_LEVEL),
  });
  const authorization = await startService({
    name: 'authorization',
    module: AuthorizationServiceModule.register(authorizationOptions(resolved, transport)),
    transport,
    logger: createLogger('authorization', env.LOG_LEVEL),
  });
  const gateway = await startGateway({
    ...gatewayOptions(resolved, transport),
    host: env.HOST,
    port: env.PORT,
    logger: createLogger('gateway', env.LOG_LEVEL),
  });
  closeOnSignals(logger, [gateway, identity, directory, authorization, database, dataLock]);

  const url = (await gateway.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  say(`IAM is listening on ${url} (data in ${dataDir}).`);
});
