import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { enableMetrics, httpRequestDuration, httpRequests, metricsText, NestPinoLogger, RequestScope } from '@iam/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { serveConsole } from './console/console';
import { GatewayOptions } from './gateway.options';
import { GatewayHttpModule } from './gateway-http.module';
import { answerClientError } from './http/client-error';
import { refuseDotSegments } from './http/dot-segments';
import { GatewayErrorFilter } from './http/error.filter';
import type { LoggedRequest } from './http/logged-request';
import { runInRequestScope } from './http/request-scope';
import { buildOpenApiDocument } from './openapi/openapi';
import { RestRouter } from './rest/router';

export interface GatewayBootstrapOptions extends GatewayOptions {
  host: string;
  port: number;
  logger: Logger;
}

/** The version the OpenAPI document states. */
export const API_VERSION = '1.0.0';

/**
 * The Fastify adapter the gateway runs on: our request ids, bodies up to 1 MiB, requests that
 * Node's HTTP parser refuses answered as AWS errors, and X-Forwarded-For believed only from the
 * proxies `trustProxy` names (none by default).
 */
export function gatewayAdapter(trustProxy: boolean | number | string = false): FastifyAdapter {
  return new FastifyAdapter({
    genReqId: () => RequestScope.newId(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    clientErrorHandler: answerClientError,
    trustProxy,
  });
}

/**
 * Everything the gateway sets up on its Nest app before it listens: bodies kept as raw bytes
 * (SigV4 signs the exact bytes; each front parses its own format), paths with `.`/`..`
 * segments refused before anything else (routing is on the verified path), the request id header,
 * one log line per request, the request scope, the one error filter, `/openapi.json`, the
 * explorer at `/docs`, and the web console at `/console/` when `consoleDir` is given.
 */
export async function configureGateway(app: NestFastifyApplication, logger: Logger, consoleDir?: string, state: GatewayState = { draining: false }): Promise<void> {
  enableMetrics();
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  fastify.addHook('onRequest', refuseDotSegments);
  fastify.addHook('preHandler', runInRequestScope);
  // Callback hooks: no promise per request.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-amzn-requestid', String(request.id));
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const { iamAction: action, iamPrincipal: principal, iamErrorCode: code } = request as FastifyRequest & LoggedRequest;
    const operation = action ?? routeKindOf(request.url);
    httpRequests.inc({ operation, outcome: code ?? (reply.statusCode >= 500 ? 'ServiceFailure' : reply.statusCode >= 400 ? `http_${reply.statusCode}` : 'ok') });
    httpRequestDuration.observe({ operation }, reply.elapsedTime / 1000);
    logger.info(
      {
        requestId: String(request.id),
        method: request.method,
        url: pathOf(request.url),
        ...(action ? { action } : {}),
        ...(principal ? { principal } : {}),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    done();
  });
  serveProbesAndMetrics(fastify, state);
  app.useGlobalFilters(new GatewayErrorFilter(logger));
  const document = buildOpenApiDocument(app.get(RestRouter), { version: API_VERSION }) as unknown as OpenAPIObject;
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: 'IAM REST API',
  });
  await serveConsole(fastify, consoleDir, logger);
}

/** Creates and starts the gateway on Fastify; resolves once it listens. */
export async function startGateway(options: GatewayBootstrapOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(GatewayHttpModule.register(options), gatewayAdapter(options.trustProxy), {
    logger: new NestPinoLogger(options.logger.child({ component: 'nest' })),
    bodyParser: false,
    // A start-up failure (NATS not answering, say) reaches the caller, which says it in one line.
    abortOnError: false,
  });
  const state: GatewayState = { draining: false };
  await configureGateway(app, options.logger, options.consoleDir, state);
  await app.listen(options.port, options.host);
  return app;
}

/** Whether the gateway is shutting down (its readiness probe then answers 503). */
export interface GatewayState {
  draining: boolean;
}

/** A URL without its query. */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The kind of a request no IAM operation answered, as a metrics label. */
export function routeKindOf(url: string): string {
  const path = pathOf(url);
  if (path === '/metrics') return 'metrics';
  if (path.startsWith('/health')) return 'health';
  if (path.startsWith('/console')) return 'console';
  if (path.startsWith('/docs') || path === '/openapi.json') return 'docs';
  if (path === '/' || path.startsWith('/v1')) return 'unknown_operation';
  return 'other';
}

/**
 * `GET /health/live` (the process answers), `GET /health/ready` (it takes requests: 503 once it
 * is draining) and `GET /metrics` (Prometheus) on the gateway's own port. `/health` still checks
 * every service behind it.
 */
function serveProbesAndMetrics(fastify: FastifyInstance, state: GatewayState): void {
  // Closing: not ready from the first moment, while Fastify finishes the requests in flight.
  fastify.addHook('preClose', (done) => {
    state.draining = true;
    done();
  });
  fastify.get('/health/live', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  fastify.get('/health/ready', async (_request, reply) =>
    state.draining ? reply.status(503).header('cache-control', 'no-store').send({ status: 'draining' }) : reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );
  fastify.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metricsText();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}
