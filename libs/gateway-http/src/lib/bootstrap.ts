import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestPinoLogger, RequestContext } from '@iam/platform';
import type { Logger } from 'pino';
import { GatewayOptions } from './gateway.options';
import { GatewayHttpModule } from './gateway-http.module';
import { RestErrorFilter } from './http/error.filter';
import { RequestScopeInterceptor } from './http/request-scope';

export interface GatewayBootstrapOptions extends GatewayOptions {
  host: string;
  port: number;
  logger: Logger;
}

/** Creates and starts the gateway on Fastify; resolves once it listens. */
export async function startGateway(options: GatewayBootstrapOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    genReqId: () => RequestContext.newId(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayHttpModule.register(options), adapter, {
    logger: new NestPinoLogger(options.logger.child({ component: 'nest' })),
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-amzn-requestid', String(request.id));
  });
  fastify.addHook('onResponse', async (request, reply) => {
    options.logger.info(
      { requestId: String(request.id), method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });
  app.useGlobalInterceptors(new RequestScopeInterceptor());
  app.useGlobalFilters(new RestErrorFilter(options.logger));
  await app.listen(options.port, options.host);
  return app;
}
