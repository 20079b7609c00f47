import { DirectoryEnv, directoryOptions, DirectoryServiceModule } from '@iam/directory-service';
import { closeOnSignals, createLogger, loadConfig, NatsEnv, natsTransport, runMain, startService } from '@iam/platform';
import { z } from 'zod';

/** The directory service as its own process on NATS. */
runMain('directory', async () => {
  const env = loadConfig(z.object({ ...DirectoryEnv.shape, ...NatsEnv.shape }));
  const logger = createLogger('directory', env.LOG_LEVEL);
  const transport = natsTransport(env, 'directory');
  const app = await startService({
    name: 'directory',
    module: DirectoryServiceModule.register(directoryOptions(env, transport)),
    transport,
    logger,
    healthPort: env.IAM_HEALTH_PORT,
  });
  closeOnSignals(logger, [app]);
  logger.info('directory is listening on the bus');
});
