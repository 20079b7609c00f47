/**
 * CPU time used by the processes of a run, read from /proc (Linux): the bench's own children
 * by pid, the PostgreSQL backends serving one database (their process title names it), the
 * NATS server, and this process (the client). Elsewhere `available` is false.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export type Component = string;

function ticksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** utime + stime of a process, in ticks; undefined once it is gone. */
function ticksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export class CpuMeter {
  readonly available = existsSync('/proc/self/stat');
  private readonly hz = this.available ? ticksPerSecond() : 100;

  /**
   * @param children the bench's child processes by component
   * @param database the PostgreSQL database whose backends count
   */
  constructor(
    private readonly children: () => ReadonlyMap<Component, number>,
    private readonly database: string,
  ) {}

  /** The processes of each component now. */
  private pids(): Map<Component, number[]> {
    const out = new Map<Component, number[]>();
    for (const [component, pid] of this.children()) out.set(component, [pid]);
    const postgres: number[] = [];
    const nats: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const comm = read(`/proc/${entry}/comm`).trim();
      if (comm === 'nats-server') nats.push(Number(entry));
      else if (comm === 'postgres' && read(`/proc/${entry}/cmdline`).split(/[\s\0]/).includes(this.database)) postgres.push(Number(entry));
    }
    out.set('postgres', postgres);
    out.set('nats', nats);
    return out;
  }

  /** CPU milliseconds per process, keyed `component:pid`, and the client's. */
  sample(): Map<string, number> {
    const out = new Map<string, number>();
    if (!this.available) return out;
    for (const [component, pids] of this.pids()) {
      for (const pid of pids) {
        const ticks = ticksOf(pid);
        if (ticks !== undefined) out.set(`${component}:${pid}`, (ticks * 1000) / this.hz);
      }
    }
    const own = process.cpuUsage();
    out.set(`client:${process.pid}`, (own.user + own.system) / 1000);
    return out;
  }

  /** CPU milliseconds each component used between two samples (a process new since `before` counts from 0). */
  static used(before: Map<string, number>, after: Map<string, number>): Map<Component, number> {
    const out = new Map<Component, number>();
    for (const [key, ms] of after) {
      const component = key.slice(0, key.lastIndexOf(':'));
      out.set(component, (out.get(component) ?? 0) + ms - (before.get(key) ?? 0));
    }
    return out;
  }
}
