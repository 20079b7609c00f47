// The gateway benchmark's baselines, each its own process (`node baseline.mjs <mode>`):
//
//   plain      a bare node:http server answering a small JSON body;
//   nats       the same server making one NATS request/reply per request before it answers;
//   responder  the trivial NATS responder `nats` asks (a queue group, as the services use).
//
// Environment: PORT (servers; 0 for any), NATS_URL and SUBJECT (nats, responder). A server
// prints `listening <port>` on stdout once it listens; the responder prints `ready`.
import { createServer } from 'node:http';
import { connect } from 'nats';

const mode = process.argv[2];
const BODY = Buffer.from(JSON.stringify({ ok: true, service: 'baseline', version: 1 }));
const HEADERS = { 'content-type': 'application/json', 'content-length': String(BODY.length) };

function listen(handler) {
  const server = createServer((request, response) => {
    // Read (and drop) any body before answering, as a real server must.
    request.on('data', () => undefined);
    request.on('end', () => handler(response));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
  return server;
}

function fail(response, error) {
  response.writeHead(503, { 'content-type': 'text/plain' });
  response.end(String(error && error.message));
}

async function main() {
  if (mode === 'plain') {
    listen((response) => {
      response.writeHead(200, HEADERS);
      response.end(BODY);
    });
    return;
  }
  const nc = await connect({ servers: process.env.NATS_URL, noEcho: true });
  const subject = process.env.SUBJECT;
  if (mode === 'nats') {
    const request = Buffer.from(JSON.stringify({ pattern: 'echo', data: {} }));
    listen((response) => {
      nc.request(subject, request, { timeout: 5_000 }).then(
        (reply) => {
          const body = Buffer.from(reply.data);
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
          response.end(body);
        },
        (error) => fail(response, error),
      );
    });
    return;
  }
  if (mode === 'responder') {
    nc.subscribe(subject, { queue: 'responder', callback: (error, message) => error || message.respond(BODY) });
    await nc.flush();
    process.stdout.write('ready\n');
    return;
  }
  throw new Error(`unknown mode ${mode}: plain, nats or responder`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
