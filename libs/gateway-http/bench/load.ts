/**
 * The benchmark's load generator: node:http with keep-alive connections, `inFlight` callers
 * each sending the next request as soon as its previous reply has been read in full. Every
 * reply's status and a marker in its body are checked; a round with a wrong reply fails.
 */
import http from 'node:http';

/** One request as sent on the wire (signed beforehand, when it needs to be). */
export interface Call {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

/** What every reply of a path must be: its status, and bytes its body contains. */
export interface Expected {
  readonly status: number;
  readonly marker: Buffer;
}

export interface Figures {
  /** Replies per second over the round. */
  readonly perSecond: number;
  /** Latency of one request, from sending to the last byte of its reply (ms). */
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
}

/**
 * A caller's unit of work made of several different requests (a user's life cycle, say), each
 * built from the replies before it: `request` sends one, checks its status and marker, counts its
 * latency, and answers its body.
 */
export type Script = (request: (call: Call, expected: Expected) => Promise<string>, caller: number, iteration: number) => Promise<void>;

/** Told when the counted part of a run starts and stops (to read CPU time around it). */
export interface Meter {
  start(): void;
  stop(requests: number): void;
}

interface Reply {
  status: number;
  body: Buffer;
}

function send(agent: http.Agent, port: number, call: Call): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method: call.method, path: call.path, headers: call.headers, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(call.body);
  });
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** A client for one path and one level of concurrency, its connections kept across rounds. */
export class LoadClient {
  private readonly agent: http.Agent;

  constructor(
    readonly port: number,
    readonly inFlight: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: inFlight, maxFreeSockets: inFlight });
  }

  /** One request, for checks: status and body as text. */
  async once(call: Call): Promise<{ status: number; text: string }> {
    const reply = await send(this.agent, this.port, call);
    return { status: reply.status, text: reply.body.toString('utf8') };
  }

  /**
   * Runs `inFlight` callers for `warmupMs` (not counted), then for `durationMs`; throws when any
   * reply is not the expected one. `meter` brackets the counted part.
   */
  async run(call: Call, expected: Expected, warmupMs: number, durationMs: number, meter?: Meter): Promise<Figures> {
    await this.loop(call, expected, warmupMs, undefined);
    const latencies: number[] = [];
    meter?.start();
    const started = performance.now();
    await this.loop(call, expected, durationMs, latencies);
    const elapsed = performance.now() - started;
    meter?.stop(latencies.length);
    const sorted = Float64Array.from(latencies).sort();
    return { perSecond: (latencies.length / elapsed) * 1000, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), requests: latencies.length };
  }

  /**
   * Like `run`, each of the `inFlight` callers running `script` over and over (a script under way
   * when the time is up finishes, and counts); the figures are per request.
   */
  async runScript(script: Script, warmupMs: number, durationMs: number): Promise<Figures> {
    await this.scriptLoop(script, warmupMs, undefined);
    const latencies: number[] = [];
    const started = performance.now();
    await this.scriptLoop(script, durationMs, latencies);
    const elapsed = performance.now() - started;
    const sorted = Float64Array.from(latencies).sort();
    return { perSecond: (latencies.length / elapsed) * 1000, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), requests: latencies.length };
  }

  private iterations = 0;

  private async scriptLoop(script: Script, ms: number, latencies: number[] | undefined): Promise<void> {
    const started = performance.now();
    const request = async (call: Call, expected: Expected) => {
      const t0 = performance.now();
      const reply = await send(this.agent, this.port, call);
      const t1 = performance.now();
      if (reply.status !== expected.status || reply.body.indexOf(expected.marker) === -1) {
        throw new Error(`${call.method} ${call.path}: expected ${expected.status} with "${expected.marker.toString('utf8')}", got ${reply.status}: ${reply.body.toString('utf8').slice(0, 500)}`);
      }
      latencies?.push(t1 - t0);
      return reply.body.toString('utf8');
    };
    await Promise.all(
      Array.from({ length: this.inFlight }, async (_, caller) => {
        while (performance.now() - started < ms) await script(request, caller, this.iterations++);
      }),
    );
  }

  private async loop(call: Call, expected: Expected, ms: number, latencies: number[] | undefined): Promise<void> {
    const started = performance.now();
    let wrong: { status: number; body: string } | undefined;
    const caller = async () => {
      while (wrong === undefined && performance.now() - started < ms) {
        const t0 = performance.now();
        const reply = await send(this.agent, this.port, call);
        const t1 = performance.now();
        if (reply.status !== expected.status || reply.body.indexOf(expected.marker) === -1) {
          wrong ??= { status: reply.status, body: reply.body.toString('utf8').slice(0, 500) };
          return;
        }
        latencies?.push(t1 - t0);
      }
    };
    await Promise.all(Array.from({ length: this.inFlight }, caller));
    if (wrong) {
      throw new Error(`${call.method} ${call.path}: expected ${expected.status} with "${expected.marker.toString('utf8')}", got ${wrong.status}: ${wrong.body}`);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
