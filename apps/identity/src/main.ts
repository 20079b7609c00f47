import { IdentityEnv, identityOptions, IdentityServiceModule } from '@iam/identity-service';
import { checkRootCredentials, closeOnSignals, createLogger, loadConfig, NatsEnv, natsTransport, runMain, startService } from '@iam/platform';
import { z } from 'zod';

/** The identity service as its own process on NATS. */
runMain('identity', async () => {
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
});
