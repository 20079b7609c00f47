import { IdentityEnv, identityOptions, IdentityServiceModule, rotateMasterKey } from '@iam/identity-service';
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
  const transport = natsTransport(env);
  const app = await startService({
    name: 'identity',
    module: IdentityServiceModule.register(identityOptions(env, transport)),
    transport,
    logger,
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
  process.stdout.write(
    `identity rotate-master-key: re-encrypted ${result.reencrypted} access key secret(s) from master key ${result.fromKeyId} to ${result.toKeyId}.\n`,
  );
  const unreadable = Object.entries(result.unreadable);
  if (unreadable.length > 0) {
    const detail = unreadable.map(([id, count]) => `${count} under ${id}`).join(', ');
    process.stderr.write(`identity rotate-master-key: secrets under neither key remain (${detail}).\n`);
    process.exit(1);
  }
  process.exit(0);
}

if (process.argv[2] === 'rotate-master-key') {
  runMain('identity rotate-master-key', rotate);
} else {
  runMain('identity', serve);
}
