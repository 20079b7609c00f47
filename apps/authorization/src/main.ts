import { AuthorizationEnv, authorizationOptions, AuthorizationServiceModule } from '@iam/authorization-service';
import { closeOnSignals, createLogger, loadConfig, NatsEnv, natsTransport, runMain, startService } from '@iam/platform';
import { z } from 'zod';

/** The authorization service as its own process on NATS. */
runMain('authorization', async () => {
  const env = loadConfig(z.object({ ...AuthorizationEnv.shape, ...NatsEnv.shape }));
  const logger = createLogger('authorization', env.LOG_LEVEL);
  const transport = natsTransport(env, 'authorization');
  const app = await startService({
    name: 'authorization',
    module: AuthorizationServiceModule.register(authorizationOptions(env, transport)),
    transport,
    logger,
    healthPort: env.IAM_HEALTH_PORT,
  });
  closeOnSignals(logger, [app]);
  logger.info('authorization is listening on the bus');
});
