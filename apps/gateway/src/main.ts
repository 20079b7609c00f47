import { GatewayEnv, gatewayOptions, startGateway } from '@iam/gateway-http';
import { closeOnSignals, createLogger, loadConfig, NatsEnv, natsTransport, runMain } from '@iam/platform';
import { resolve } from 'node:path';
import { z } from 'zod';

/** The gateway as its own process: HTTP in front, NATS behind. */
runMain('gateway', async () => {
  const env = loadConfig(z.object({ ...GatewayEnv.shape, ...NatsEnv.shape }));
  const logger = createLogger('gateway', env.LOG_LEVEL);
  const app = await startGateway({
    ...gatewayOptions(env, natsTransport(env, 'gateway')),
    // The web console's build sits beside this app's in dist (dist/apps/console).
    consoleDir: env.IAM_CONSOLE_DIR ?? resolve(__dirname, '../console'),
    host: env.HOST,
    port: env.PORT,
    logger,
  });
  closeOnSignals(logger, [app]);
  const url = await app.getUrl();
  logger.info({ url, console: `${url}/console/` }, 'gateway is listening');
});
