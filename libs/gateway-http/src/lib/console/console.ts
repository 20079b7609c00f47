import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RequestInfo } from '../application/request-info';

/** Where the web console is served. */
export const CONSOLE_PATH = '/console/';

/**
 * What the console's pages may load: their own scripts, styles and images only, and calls to
 * this origin (the REST API). No inline script, no framing.
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * A browser opening the gateway's root: a `GET /` that accepts HTML and carries neither an AWS
 * action nor any credentials (an AWS client always names its `Action` and signs). Such a visit is
 * sent to the console; every other request to `/` is the Query API's, unchanged.
 */
export function isBrowserVisit(request: Pick<RequestInfo, 'method' | 'rawQuery' | 'headers'>): boolean {
  if (request.method !== 'GET' || request.rawQuery !== '') return false;
  if (request.headers['authorization'] !== undefined) return false;
  const accept = request.headers['accept'];
  const accepted = typeof accept === 'string' ? accept : (accept ?? []).join(',');
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(accepted);
}

function notBuilt(reply: FastifyReply, dir: string | undefined): FastifyReply {
  return reply
    .status(404)
    .header('content-type', 'text/plain; charset=utf-8')
    .send(
      dir
        ? `The web console is not built (no ${join(dir, 'index.html')}): run npx nx build console, or npm start, which builds it.\n`
        : 'The web console is not served by this gateway.\n',
    );
}

/**
 * The web console (a single-page app built into `dir`) at `/console/`: its hashed assets cached
 * for good, its page never (so a new build is picked up at once), and every other path under
 * `/console/` answered with the page, where the console's own router takes over. Served with
 * `CONSOLE_SECURITY_HEADERS`. Without a build, `/console/` says how to make one.
 */
export async function serveConsole(fastify: FastifyInstance, dir: string | undefined, logger?: Logger): Promise<void> {
  const built = dir !== undefined && existsSync(join(dir, 'index.html'));
  if (!built && dir !== undefined) logger?.warn({ dir }, 'the web console is not built; /console/ answers 404 until it is');
  const root = dir ?? '';
  await fastify.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      reply.headers(CONSOLE_SECURITY_HEADERS);
    });
    scope.get('/console', (_request, reply) => reply.redirect(CONSOLE_PATH, 302));
    if (!built) {
      scope.get('/console/*', (_request, reply) => notBuilt(reply, dir));
      return;
    }
    // Loaded here, not at the top: it requires an ES-module-only package, which Node loads but a
    // Jest run that only imports this library (for its operation table) would not.
    const { default: fastifyStatic } = await import('@fastify/static');
    await scope.register(fastifyStatic, {
      root,
      prefix: CONSOLE_PATH,
      wildcard: false,
      index: false,
      dotfiles: 'deny',
      decorateReply: false,
      setHeaders: (reply, path) => {
        reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    // Any other path (a page of the console, /console/users/dave): the page itself, or 404 for
    // a missing asset so that a stale page does not load HTML as a script.
    scope.get('/console/*', async (request, reply) => {
      const rest = request.url.slice(CONSOLE_PATH.length).split('?')[0];
      if (rest.startsWith('assets/')) return reply.status(404).header('content-type', 'text/plain; charset=utf-8').send('Not found\n');
      // Read each time: a rebuilt console is served without a restart.
      const page = await readFile(join(root, 'index.html'));
      return reply.header('cache-control', 'no-cache').header('content-type', 'text/html; charset=utf-8').send(page);
    });
  });
}
