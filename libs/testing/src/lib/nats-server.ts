import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servicesRequired } from './services';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A temporary folder of this test run (mode 0700), removed by the returned function. */
export function temporaryFolder(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `iam-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestNatsServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same configuration. */
  restart(): Promise<void>;
}

/** Whether a `nats-server` binary is on the PATH. */
export function natsServerInstalled(): boolean {
  return spawnSync('nats-server', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * `describe` for specs that start their own nats-server process: skipped with
 * the reason printed when the binary is missing, failed when services are required.
 */
export function describeWithNatsServer(name: string, body: () => void): void {
  if (natsServerInstalled()) {
    describe(name, body);
    return;
  }
  const reason = 'the nats-server binary is not on the PATH';
  if (servicesRequired()) {
    describe(name, () => {
      it('has nats-server', () => {
        throw new Error(`${reason} (services are required: CI=true or IAM_TEST_SERVICES=required)`);
      });
    });
    return;
  }
  console.warn(`Skipping "${name}": ${reason}. Set IAM_TEST_SERVICES=required to make this an error.`);
  describe.skip(name, body);
}

/**
 * Starts a nats-server of the spec's own on a free loopback port (never the
 * shared one), with `configFile` when given, and waits until it is ready.
 */
export async function startNatsServer(options: { configFile?: string; scheme?: 'nats' | 'tls' } = {}): Promise<TestNatsServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const launch = async () => {
    const args = ['-a', '127.0.0.1', '-p', String(port), ...(options.configFile ? ['-c', options.configFile] : [])];
    const started = spawn('nats-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`nats-server did not start within 10 s:\n${output}`)), 10_000);
      const watch = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (/Server is ready/.test(output)) {
          clearTimeout(timer);
          ready();
        }
      };
      started.stdout?.on('data', watch);
      started.stderr?.on('data', watch);
      started.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`nats-server exited with ${code}:\n${output}`));
      });
    });
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await launch();
  return { url: `${options.scheme ?? 'nats'}://127.0.0.1:${port}`, port, stop, restart: launch };
}
