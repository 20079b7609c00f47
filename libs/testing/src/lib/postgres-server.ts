import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './nats-server';

export interface TestPostgresServer {
  url: string;
  /** Stops the server (fast shutdown: open connections are cut). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  remove(): Promise<void>;
}

/** Whether `initdb` and `postgres` are on the PATH. */
export function postgresInstalled(): boolean {
  return spawnSync('initdb', ['--version']).status === 0 && spawnSync('postgres', ['--version']).status === 0;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` OS user. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * A PostgreSQL server of the spec's own (initdb into a temporary folder, a free
 * loopback port, trust authentication), for specs that stop and restart it.
 */
export async function startPostgresServer(): Promise<TestPostgresServer> {
  const folder = mkdtempSync(join(tmpdir(), 'iam-pg-'));
  const user = runAs();
  if (user.uid !== undefined && user.gid !== undefined) chownSync(folder, user.uid, user.gid);
  const data = join(folder, 'data');
  const init = spawnSync('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { encoding: 'utf8', ...user });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const server = spawn('postgres', ['-D', data, '-p', String(port), '-k', folder, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...user,
    });
    child = server;
    let output = '';
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`postgres did not start within 30 s:\n${output}`)), 30_000);
      const watch = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (/ready to accept connections/.test(output)) {
          clearTimeout(timer);
          ready();
        }
      };
      server.stdout?.on('data', watch);
      server.stderr?.on('data', watch);
      server.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`postgres exited with ${code}:\n${output}`));
      });
    });
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill('SIGINT');
    await exited;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    remove: async () => {
      await stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
