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
  /** Another port than the client's (a second gateway); the same keep-alive pool per port. */
  readonly port?: number;
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
 * latency under `tag` (`''` unless given; `null`: not counted), and answers its body.
 */
export type Script = (request: (call: Call, expected: Expected, tag?: string | null) => Promise<string>, caller: number, iteration: number) => Promise<void>;

/** Told when the counted part of a run starts and stops (to read CPU time around it). */
export interface Meter {
  start(): void | Promise<void>;
  stop(requests: number): void | Promise<void>;
}

interface Reply {
  status: number;
  body: Buffer;
}

function send(agent: http.Agent, port: number, call: Call): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: call.port ?? port, method: call.method, path: call.path, headers: call.headers, agent },
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

function figuresOf(latencies: number[], elapsed: number): Figures {
  const sorted = Float64Array.from(latencies).sort();
  return { perSecond: (latencies.length / elapsed) * 1000, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), requests: latencies.length };
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
   * reply is not the expected one. `meter` brackets the counted part. Given several calls (the
   * same request to several gateways), caller k sends `calls[k % calls.length]`.
   */
  async run(calls: Call | readonly Call[], expected: Expected, warmupMs: number, durationMs: number, meter?: Meter): Promise<Figures> {
    const list = Array.isArray(calls) ? (calls as readonly Call[]) : [calls as Call];
    await this.loop(list, expected, warmupMs, undefined);
    const latencies: number[] = [];
    await meter?.start();
    const started = performance.now();
    await this.loop(list, expected, durationMs, latencies);
    const elapsed = performance.now() - started;
    await meter?.stop(latencies.length);
    return figuresOf(latencies, elapsed);
  }

  /**
   * Like `run`, each of the `inFlight` callers running `script` over and over (a script under way
   * when the time is up finishes, and counts); the figures are per request.
   */
  async runScript(script: Script, warmupMs: number, durationMs: number): Promise<Figures> {
    const { latencies, elapsed } = await this.scripted(script, warmupMs, durationMs);
    return figuresOf([...latencies.values()].flat(), elapsed);
  }

  /** Like `runScript`, the figures of each tag of the script's requests apart (throughput: of that tag's requests). */
  async runTagged(script: Script, warmupMs: number, durationMs: number, meter?: Meter): Promise<Map<string, Figures>> {
    const { latencies, elapsed } = await this.scripted(script, warmupMs, durationMs, meter);
    return new Map([...latencies].map(([tag, list]) => [tag, figuresOf(list, elapsed)]));
  }

  private async scripted(script: Script, warmupMs: number, durationMs: number, meter?: Meter): Promise<{ latencies: Map<string, number[]>; elapsed: number }> {
    await this.scriptLoop(script, warmupMs, undefined);
    const latencies = new Map<string, number[]>();
    await meter?.start();
    const started = performance.now();
    await this.scriptLoop(script, durationMs, latencies);
    const elapsed = performance.now() - started;
    await meter?.stop([...latencies.values()].reduce((sum, list) => sum + list.length, 0));
    return { latencies, elapsed };
  }

  private iterations = 0;

  private async scriptLoop(script: Script, ms: number, latencies: Map<string, number[]> | undefined): Promise<void> {
    const started = performance.now();
    const request = async (call: Call, expected: Expected, tag: string | null = '') => {
      const t0 = performance.now();
      const reply = await send(this.agent, this.port, call);
      const t1 = performance.now();
      if (reply.status !== expected.status || reply.body.indexOf(expected.marker) === -1) {
        throw new Error(`${call.method} ${call.path}: expected ${expected.status} with "${expected.marker.toString('utf8')}", got ${reply.status}: ${reply.body.toString('utf8').slice(0, 500)}`);
      }
      if (latencies && tag !== null) {
        const list = latencies.get(tag);
        if (list) list.push(t1 - t0);
        else latencies.set(tag, [t1 - t0]);
      }
      return reply.body.toString('utf8');
    };
    await Promise.all(
      Array.from({ length: this.inFlight }, async (_, caller) => {
        while (performance.now() - started < ms) await script(request, caller, this.iterations++);
      }),
    );
  }

  private async loop(calls: readonly Call[], expected: Expected, ms: number, latencies: number[] | undefined): Promise<void> {
    const started = performance.now();
    let wrong: { call: Call; status: number; body: string } | undefined;
    const caller = async (_: unknown, k: number) => {
      const call = calls[k % calls.length];
      while (wrong === undefined && performance.now() - started < ms) {
        const t0 = performance.now();
        const reply = await send(this.agent, this.port, call);
        const t1 = performance.now();
        if (reply.status !== expected.status || reply.body.indexOf(expected.marker) === -1) {
          wrong ??= { call, status: reply.status, body: reply.body.toString('utf8').slice(0, 500) };
          return;
        }
        latencies?.push(t1 - t0);
      }
    };
    await Promise.all(Array.from({ length: this.inFlight }, caller));
    if (wrong) {
      throw new Error(`${wrong.call.method} ${wrong.call.path}: expected ${expected.status} with "${expected.marker.toString('utf8')}", got ${wrong.status}: ${wrong.body}`);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
