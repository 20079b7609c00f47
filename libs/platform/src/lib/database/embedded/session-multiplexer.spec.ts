import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Findings } from './spec-support/scenarios';

// The scenarios run in a plain Node process against a real PGlite (see spec-support/run-scenarios.js).
jest.setTimeout(300_000);

function runScenarios(): Promise<Findings> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, 'spec-support', 'run-scenarios.js')], { timeout: 280_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the scenarios failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() as string));
    });
  });
}

describe('SessionMultiplexer: many pg connections over one PGlite session', () => {
  let findings: Findings;

  beforeAll(async () => {
    findings = await runScenarios();
  });

  const seen = <K extends keyof Findings>(name: K) => {
    const result = findings[name];
    if ('failed' in result) throw new Error(`scenario ${name} failed: ${result.failed}`);
    return result as Exclude<Findings[K], { failed: string }>;
  };

  it('gives every query and every transaction of 16 interleaving clients its own results, keeping every commit and no rollback', () => {
    const result = seen('interleaved');
    expect(result.problems).toEqual([]);
    expect(result.problemCount).toBe(0);
    expect(result.committed.length).toBe(16 * 20);
    expect(result.stored).toEqual(result.committed);
    expect(result.rolledBackStored).toEqual([]);
  });

  it('answers each of 24 separate clients with its own multi-row results while they all run at once', () => {
    expect(seen('separateClients')).toEqual({ wrong: [], wrongCount: 0, answered: 24 * 40 });
  });

  it('rolls back a client that ends inside a transaction, and lets the one waiting go on', () => {
    expect(seen('abandonedTransaction')).toEqual({ waited: [{ id: 2 }], stored: [{ id: 2 }] });
  });

  it('rolls back an unfinished extended query of a connection destroyed before its Sync', () => {
    expect(seen('unfinishedExtendedQuery')).toEqual({ started: true, executed: true, rows: [{ n: 0 }] });
  });

  it('terminates a connection idle in a transaction with FATAL 25P03, rolls it back, and serves the one waiting', () => {
    const result = seen('idleInTransaction');
    expect(result.waiting).toEqual([{ id: 2 }]);
    expect(result.waitedMs).toBeGreaterThanOrEqual(250);
    expect(result.errors[0]).toEqual({ code: '25P03', message: 'terminating connection due to idle-in-transaction timeout' });
    expect(result.commit).not.toBe('committed');
    expect(result.stored).toEqual([{ id: 2 }]);
    expect(result.terminated).toEqual([expect.stringMatching(/^terminating connection due to idle-in-transaction timeout: connection \d+ held the embedded database's only session/)]);
  });

  it('declines SSL, answers the startup, and closes on Terminate', () => {
    expect(seen('startupAndTerminate')).toEqual({ ssl: 'N', startupOk: true, closed: true });
  });

  it('closes a connection that breaks the protocol with FATAL 08P01, and keeps serving the others', () => {
    const result = seen('protocolViolation');
    expect(result.reply).toContain('SFATAL\0VFATAL\0C08P01\0Munsupported frontend protocol 2.0\0');
    expect(result.closed).toBe(true);
    expect(result.after).toEqual([{ one: 1 }]);
  });

  it('runs TypeORM transactions one at a time without losing any, and refuses at once a query that would wait for its own transaction', () => {
    const result = seen('guardedTypeorm');
    expect(result.counted).toBe(40);
    expect(result.outsideQuery.result).toBe('QueryOutsideTransactionError');
    expect(result.viaBus.result).toBe('QueryOutsideTransactionError');
    expect(result.nested.result).toBe('QueryOutsideTransactionError');
    // Each refused transaction was rolled back.
    expect(result.after).toBe(40);
    expect(result.afterwards).toEqual([{ one: 1 }]);
  });

  it('refuses a role or database other than its own with FATAL 28000 or 3D000, without harm to the session', () => {
    expect(seen('unknownRoleOrDatabase')).toEqual({
      role: '28000: role "intruder" does not exist',
      database: '3D000: database "elsewhere" does not exist',
      after: [{ one: 1 }],
    });
  });
});
