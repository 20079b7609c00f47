import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../../..');

/** A free TCP port on loopback. */
export { freePort } from '@iam/testing';

/** A child process whose output is kept, line by line. */
export class RunningProcess {
  readonly lines: string[] = [];
  private exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  /** Resolves when a line matches, or rejects after `ms` or when the process exits. */
  async waitForLine(pattern: RegExp, ms = 60_000): Promise<string> {
    const started = Date.now();
    while (Date.now() - started < ms) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line) return line;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} never printed ${pattern}; its output:\n${this.lines.slice(-40).join('\n')}`);
  }

  /** Resolves with the exit code once the process ends by itself. */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }

  /** Sends `signal` (SIGSTOP, SIGCONT, ...) to the process and returns at once. */
  signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) throw new Error(`${this.name} was never started`);
    process.kill(this.child.pid, signal);
  }

  /** Sends `signal` to the process (its whole group when started detached) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', ms = 20_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    try {
      if (this.child.pid === undefined) throw new Error('not started');
      process.kill(-this.child.pid, signal);
    } catch {
      this.child.kill(signal);
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** Starts `command` in its own process group with `env` added to this process's environment. */
export function start(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  user: { uid?: number; gid?: number } = {},
): RunningProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...user,
  });
  return new RunningProcess(name, child);
}

/**
 * Starts one of the built apps (`dist/apps/<app>/main.js`). Unless `env` says otherwise, with the
 * four built-in AWS managed policies only: loading the whole catalogue takes seconds at a fresh
 * database's first start, and only the specs about it (gateway-boto3) ask for it.
 */
export function startApp(app: string, env: Record<string, string>, user: { uid?: number; gid?: number } = {}): RunningProcess {
  return start(app, process.execPath, [resolve(ROOT, 'dist/apps', app, 'main.js')], { IAM_AWS_MANAGED_POLICIES: 'builtin', ...env }, user);
}

/** Polls `url` until it answers `status`, or fails after `ms`. */
export async function waitForStatus(url: string, status = 200, ms = 60_000): Promise<void> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < ms) {
    try {
      const response = await fetch(url);
      if (response.status === status) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer ${status} within ${ms} ms (last: ${last})`);
}

/** The JSON body of a response, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function body(response: Response): Promise<any> {
  return response.json();
}
