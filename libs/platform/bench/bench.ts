/**
 * Bus benchmark: `nx bench platform`.
 *
 * Needs the NATS of the integration specs (127.0.0.1:4222). Measures, in one
 * process and one run, what one request/reply over NATS costs on each layer:
 *
 * R  the raw `nats` client's `request` to a raw responder (the baseline);
 * C  the services' client (`BusClient` over `NatsRequester`) to a raw
 *    responder speaking the bus's packets: the client's own cost;
 * P  NestJS's `ClientNats` proxy (a subscription per request, rxjs) to the
 *    same raw responder: the client the services used before `NatsRequester`;
 * S  `BusClient` to a NestJS microservice started as every service is
 *    (`startService`: the metrics and request-scope interceptors, the
 *    contract's validation pipe, the exception filter), with a handler that
 *    answers at once: the whole bus path as the services pay it.
 *
 * Before measuring, each path's reply is checked. Each path runs for
 * BENCH_ROUND_MS (default 1000 ms) per round in 3 interleaved rounds, at 1
 * and 50 requests in flight; figures are medians over rounds. CPU: this
 * process's user + system time per request (client and server are both in
 * it) and the NATS server's, read from /proc. The table goes into the
 * `## Bus` section of docs/benchmarks.md and is printed.
 */
import { Controller, Module } from '@nestjs/common';
import { ClientNats, MessagePattern, Payload } from '@nestjs/microservices';
import { BusClient, IdentityPatterns, REQUEST_ID_HEADER, RequestOf, ResolvedUser } from '@iam/contracts';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { connect, JSONCodec, NatsConnection } from 'nats';
import { firstValueFrom } from 'rxjs';
import { contract } from '../src/lib/bus/handlers';
import { createBusRequester, BusTransport } from '../src/lib/bus/transport';
import { startService } from '../src/lib/bootstrap';
import { createLogger } from '../src/lib/logging/logger';
import { RequestScope } from '../src/lib/request-scope';

const COMMAND = 'NX_DAEMON=false NX_NO_CLOUD=true npx --no-install nx bench platform';
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 1000);
const ROUNDS = 3;
const ROOT = join(__dirname, '..', '..', '..');
const LOAD_AT_START = os.loadavg();

const USER: ResolvedUser = {
  UserId: 'AIDAEXAMPLEEXAMPLE01',
  UserName: 'bench-user',
  Path: '/',
  Arn: 'arn:aws:iam::123456789012:user/bench-user',
  State: 'active',
  Tags: [],
  CreateDate: '2026-01-01T00:00:00Z',
} as ResolvedUser;

function fail(message: string): never {
  process.stderr.write(`\nBENCHMARK CHECK FAILED: ${message}\n`);
  process.exit(1);
}

@Controller()
class ResolveController {
  @MessagePattern(IdentityPatterns.ResolveUser)
  resolve(@Payload(contract(IdentityPatterns.ResolveUser)) request: RequestOf<typeof IdentityPatterns.ResolveUser>): ResolvedUser {
    return { ...USER, UserName: 'UserName' in request ? request.UserName : USER.UserName };
  }
}

@Module({ controllers: [ResolveController] })
class ResolveModule {}

type Call = () => Promise<unknown>;

interface Figure {
  perSecond: number;
  p50: number;
  p99: number;
  cpuMs: number;
  natsCpuMs: number;
}

function natsServerTicks(): number {
  try {
    const pid = execFileSync('pgrep', ['-o', 'nats-server'], { encoding: 'utf8' }).trim();
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
}

const TICK_MS = 1000 / 100;

async function run(call: Call, inFlight: number, ms: number): Promise<Figure> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const ticks = natsServerTicks();
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await call();
        latencies.push(performance.now() - started);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const natsTicks = natsServerTicks() - ticks;
  latencies.sort((a, b) => a - b);
  const count = latencies.length;
  return {
    perSecond: count / (ms / 1000),
    p50: latencies[Math.floor(count * 0.5)],
    p99: latencies[Math.floor(count * 0.99)],
    cpuMs: (used.user + used.system) / 1000 / count,
    natsCpuMs: (natsTicks * TICK_MS) / count,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const transport: BusTransport = { kind: 'nats', url: NATS_URL, prefix };
  const raw: NatsConnection = await connect({ servers: NATS_URL, name: 'bench-raw' });
  const codec = JSONCodec();

  // The raw responder answers R's plain JSON and the bus's packets ({ pattern, data, id } → { id, response }) alike.
  raw.subscribe(`${prefix}.raw`, {
    callback: (_error, message) => message.respond(codec.encode(USER)),
  });
  raw.subscribe(`${prefix}.packet.${IdentityPatterns.ResolveUser}`, {
    callback: (_error, message) => {
      const packet = codec.decode(message.data) as { id: string };
      message.respond(codec.encode({ id: packet.id, response: USER, isDisposed: true }));
    },
  });
  const requestHeaders = () => ({ [REQUEST_ID_HEADER]: RequestScope.requestId() ?? RequestScope.newId() });

  const toRaw = createBusRequester({ kind: 'nats', url: NATS_URL, prefix: `${prefix}.packet` }, 'bench');
  await toRaw.connect();
  const clientToRaw = new BusClient(toRaw, { timeoutMs: 5_000, headers: requestHeaders });

  const nest = new ClientNats({ servers: NATS_URL, name: 'bench-nest' });
  await nest.connect();

  const logger = createLogger('identity', 'info', { write: () => undefined });
  const service = await startService({ name: 'identity', module: ResolveModule, transport, logger });
  const toService = createBusRequester(transport, 'bench');
  await toService.connect();
  const clientToService = new BusClient(toService, { timeoutMs: 5_000, headers: requestHeaders });

  const request = { UserName: 'bench-user' };
  const paths: Array<{ label: string; call: Call }> = [
    { label: 'R: raw `nats` request to a raw responder', call: () => raw.request(`${prefix}.raw`, codec.encode(request), { timeout: 5_000 }) },
    { label: 'C: `BusClient` (one reply subscription) to a raw responder', call: () => clientToRaw.send(IdentityPatterns.ResolveUser, request) },
    {
      label: 'P: NestJS `ClientNats` (a subscription per request) to a raw responder',
      call: () => firstValueFrom(nest.send(`${prefix}.packet.${IdentityPatterns.ResolveUser}`, request)),
    },
    { label: 'S: `BusClient` to a NestJS microservice (`startService`)', call: () => clientToService.send(IdentityPatterns.ResolveUser, request) },
  ];

  // Every path answers the user asked for before anything is measured.
  const rawReply = codec.decode((await raw.request(`${prefix}.raw`, codec.encode(request))).data);
  if (JSON.stringify(rawReply) !== JSON.stringify(USER)) fail(`R answered ${JSON.stringify(rawReply)}`);
  for (const path of paths.slice(1)) {
    const reply = (await path.call()) as ResolvedUser;
    if (reply?.UserName !== 'bench-user' || reply.UserId !== USER.UserId) fail(`${path.label} answered ${JSON.stringify(reply)}`);
  }
  const refused = await clientToService.send(IdentityPatterns.ResolveUser, { UserName: '' } as never).then(
    () => 'accepted',
    (error: { code?: string }) => error.code,
  );
  if (refused !== 'ValidationError' && refused !== 'InvalidInput') fail(`S accepted an invalid request (${refused})`);

  for (const path of paths) await run(path.call, 50, 300);

  const results = new Map<string, Record<number, Figure[]>>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const inFlight of [1, 50]) {
      for (const path of paths) {
        const figure = await run(path.call, inFlight, ROUND_MS);
        const byPath = results.get(path.label) ?? { 1: [], 50: [] };
        byPath[inFlight].push(figure);
        results.set(path.label, byPath);
      }
    }
  }

  const lines: string[] = [];
  const figuresOf = (label: string, inFlight: number): Figure[] => results.get(label)?.[inFlight] ?? fail(`no figures for ${label}`);
  const base = (inFlight: number) => median(figuresOf(paths[0].label, inFlight).map((f) => f.perSecond));
  for (const inFlight of [1, 50]) {
    lines.push(`### ${inFlight} request${inFlight === 1 ? '' : 's'} in flight`, '');
    lines.push('| Path | Requests/s | p50 ms | p99 ms | ÷ R | CPU ms per request, this process | NATS server |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const path of paths) {
      const figures = figuresOf(path.label, inFlight);
      const perSecond = median(figures.map((f) => f.perSecond));
      const cells = [
        Math.round(perSecond).toLocaleString('en-US'),
        median(figures.map((f) => f.p50)).toFixed(3),
        median(figures.map((f) => f.p99)).toFixed(3),
        (perSecond / base(inFlight)).toFixed(3),
        median(figures.map((f) => f.cpuMs)).toFixed(4),
        median(figures.map((f) => f.natsCpuMs)).toFixed(4),
      ];
      lines.push(`| ${path.label} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }

  const cpu = os.cpus();
  const section = [
    '## Bus',
    '',
    `Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} with \`${COMMAND}\` (script: \`libs/platform/bench/bench.ts\`).`,
    `Node ${process.version} on ${process.platform}/${process.arch}, ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores (load average ${LOAD_AT_START.map((l) => l.toFixed(2)).join(', ')} when the run began).`,
    'One process holds the clients and the responders; NATS is the local server. One request/reply of a small JSON',
    'body (a user) per call; each path runs for ' + `${ROUND_MS} ms per round in ${ROUNDS} interleaved rounds; figures are medians.`,
    'CPU: this process\'s user + system time per request (both sides of the request are in it), and the NATS server\'s.',
    '',
    ...lines,
    ...(LOAD_AT_START[0] > cpu.length
      ? ['The machine was busy with other work during this run (load average above its cores): every figure is low and', 'noisy. Run the command again on a quiet machine.', '']
      : []),
  ].join('\n');
  process.stdout.write(`${section}\n`);
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('## Bus\n');
  const next = start < 0 ? -1 : text.indexOf('\n## ', start + 1);
  const updated = start < 0 ? `${text.trimEnd()}\n\n${section}` : text.slice(0, start) + section + (next < 0 ? '\n' : `\n${text.slice(next + 1)}`);
  writeFileSync(file, updated.endsWith('\n') ? updated : `${updated}\n`);

  await toRaw.close();
  await toService.close();
  await nest.close();
  await service.close();
  await raw.drain();
}

main().then(
  () => process.exit(0),
  (error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
