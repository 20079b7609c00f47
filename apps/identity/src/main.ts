import { IdentityEnv, identityOptions, IdentityServiceModule, rotateMasterKey, rotationReport } from '@iam/identity-service';
import {
  checkRootCredentials,
  closeOnSignals,
  ConfigError,
  createLogger,
  DatabaseEnv,
  loadConfig,
  NatsEnv,
  natsTransport,
  runMain,
  SecretsEnv,
  startService,
} from '@iam/platform';
import { z } from 'zod';

/** The identity service as its own process on NATS. */
async function serve(): Promise<void> {
  const env = loadConfig(z.object({ ...IdentityEnv.shape, ...NatsEnv.shape }));
  checkRootCredentials(env);
  const logger = createLogger('identity', env.LOG_LEVEL);
  const transport = natsTransport(env, 'identity');
  const app = await startService({
    name: 'identity',
    module: IdentityServiceModule.register(identityOptions(env, transport)),
    transport,
    logger,
    healthPort: env.IAM_HEALTH_PORT,
  });
  closeOnSignals(logger, [app]);
  logger.info('identity is listening on the bus');
}

/**
 * `rotate-master-key`: re-encrypts every access key secret under
 * IAM_MASTER_KEY_PREVIOUS with IAM_MASTER_KEY, then exits.
 */
async function rotate(): Promise<void> {
  const env = loadConfig(
    z.object({
      ...DatabaseEnv.shape,
      IAM_MASTER_KEY: SecretsEnv.shape.IAM_MASTER_KEY,
      IAM_MASTER_KEY_PREVIOUS: SecretsEnv.shape.IAM_MASTER_KEY,
    }),
  );
  const missing: string[] = [];
  if (!env.IAM_MASTER_KEY) missing.push('IAM_MASTER_KEY is required (the new key)');
  if (!env.IAM_MASTER_KEY_PREVIOUS) missing.push('IAM_MASTER_KEY_PREVIOUS is required (the key being retired)');
  if (!env.IAM_MASTER_KEY || !env.IAM_MASTER_KEY_PREVIOUS) throw new ConfigError(missing);
  const result = await rotateMasterKey({
    databaseUrl: env.DATABASE_URL,
    currentKey: env.IAM_MASTER_KEY,
    previousKey: env.IAM_MASTER_KEY_PREVIOUS,
  });
  const report = rotationReport('identity rotate-master-key', result);
  process.stdout.write(`${report.summary}\n`);
  if (report.problem) process.stderr.write(`${report.problem}\n`);
  process.exit(report.problem ? 1 : 0);
}

if (process.argv[2] === 'rotate-master-key') {
  runMain('identity rotate-master-key', rotate);
} else {
  runMain('identity', serve);
}
