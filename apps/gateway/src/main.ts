import { GatewayEnv, gatewayOptions, startGateway } from '@iam/gateway-http';
import { closeOnSignals, createLogger, loadConfig, NatsEnv, natsTransport, runMain } from '@iam/platform';
import { z } from 'zod';

/** The gateway as its own process: HTTP in front, NATS behind. */
runMain('gateway', async () => {
  const env = loadConfig(z.object({ ...GatewayEnv.shape, ...NatsEnv.shape }));
  const logger = createLogger('gateway', env.LOG_LEVEL);
  const app = await startGateway({ ...gatewayOptions(env, natsTransport(env)), host: env.HOST, port: env.PORT, logger });
  closeOnSignals(logger, [app]);
  logger.info({ url: await app.getUrl() }, 'gateway is listening');
});
