import { queryErrorResponse } from '@iam/aws-protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS } from './error-status';
import { printableMessage } from './errors';

/** `%2e`, `%2E`, `%2f`, `%2F` and the rest decoded; a segment that is not valid UTF-8 is kept as received. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment.replace(/%2e/gi, '.').replace(/%2f/gi, '/');
  }
}

const DOT = /^\.{1,2}$/;

/**
 * Whether a raw request path (still percent-encoded, without the query) has a `.` or `..`
 * segment, written as such or percent-encoded (`%2e`, `%2E%2e`), or inside a segment that an
 * encoded slash (`%2F..%2F`) splits. SigV4 verification normalises dot segments and the router
 * does not, so such a path could be verified as one path and routed as another: it is refused.
 */
export function hasDotSegment(path: string): boolean {
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    if (DOT.test(segment)) return true;
    if (!segment.includes('%')) continue;
    const value = decoded(segment);
    if (value.split(/[/\\]/).some((part) => DOT.test(part))) return true;
  }
  return false;
}

/** The path as SigV4 verification reads it: empty and `.` segments dropped, `..` removing the one before. */
function normalised(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    const value = decoded(segment);
    if (value === '' || value === '.') continue;
    if (value === '..') segments.pop();
    else segments.push(segment);
  }
  return '/' + segments.join('/');
}

/**
 * A Fastify `onRequest` hook that answers a path with dot segments with `400 ValidationError`
 * before authentication and routing, so that every request is routed on exactly the path its
 * signature was verified for. The reply is AWS XML when the path, normalised, is the Query API's
 * `/`, and `{code, message, requestId}` otherwise.
 */
export async function refuseDotSegments(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const url = request.raw.url ?? request.url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!hasDotSegment(path)) return;
  const code = 'ValidationError';
  const message = printableMessage(
    `The request path '${path.slice(0, 256)}' has a '.' or '..' segment (also when percent-encoded); send the path without dot segments.`,
  );
  const requestId = String(request.id);
  const query = normalised(path) === '/';
  const body = query ? queryErrorResponse({ type: 'Sender', code, message }, requestId) : JSON.stringify({ code, message, requestId });
  await reply
    .status(ERROR_STATUS[code])
    .header('content-type', query ? 'text/xml' : 'application/json')
    .send(body);
}
