import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { metricsText } from './metrics';

export interface HealthServerOptions {
  port: number;
  host?: string;
  /** Resolves when the app can take requests (its database answers); rejects with the reason otherwise. */
  ready: () => Promise<void>;
  logger: Logger;
}

/** The health port of an app: its probes and its metrics. */
export interface HealthServer {
  /** Where it listens. */
  readonly port: number;
  /** From now on `/health/ready` answers 503 (the app is draining); the port stays open. */
  drain(): void;
  close(): Promise<void>;
}

/**
 * A small HTTP server beside an app that has no HTTP port of its own (the services):
 * `GET /health/live` (200 while the process runs), `GET /health/ready` (200 when `ready`
 * resolves and the app is not draining, else 503 with the reason) and `GET /metrics`.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  let draining = false;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, body: string, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, JSON.stringify({ status: 'error', message: 'Use GET.' }));
    if (path === '/health/live') return send(200, JSON.stringify({ status: 'ok' }));
    if (path === '/health/ready') {
      if (draining) return send(503, JSON.stringify({ status: 'draining' }));
      options.ready().then(
        () => send(200, JSON.stringify({ status: 'ok' })),
        (error: unknown) => send(503, JSON.stringify({ status: 'error', message: error instanceof Error ? error.message : String(error) })),
      );
      return;
    }
    if (path === '/metrics') {
      metricsText().then(
        ({ contentType, body }) => send(200, body, contentType),
        (error: unknown) => {
          options.logger.error({ err: error }, 'metrics failed');
          send(500, '# metrics failed\n', 'text/plain');
        },
      );
      return;
    }
    send(404, JSON.stringify({ status: 'error', message: `No route for ${request.method} ${path}; try /health/live, /health/ready or /metrics.` }));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host ?? '0.0.0.0', () => done());
  });
  server.unref();
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    drain: () => {
      draining = true;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
