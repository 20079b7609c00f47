import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithServices } from '@iam/testing';
import { type Credentials, type RunningSystem, startDistributedSystem } from './support/gateway';
import { type LoadReport, loadProfile, runMixedLoad, verifyStored } from './support/mixed-load';
import { freePort, RunningProcess, startApp, waitForStatus } from './support/processes';

/**
 * The promises of every mode under many clients at once: no acknowledged write lost, no reply
 * about another principal or entity, no allow a limited user should not get, no 5xx.
 * `IAM_LOAD_SECONDS` and `IAM_LOAD_CLIENTS` give a longer or wider run (CI: 20 s, 32 clients).
 */
const profile = loadProfile();
jest.setTimeout(180_000 + profile.seconds * 3_000);

/** Log lines that mean something went wrong inside, even if every reply looked right. */
function troubleIn(processes: RunningProcess[]): string[] {
  return processes.flatMap((p) => p.lines.filter((line) => /"level":"(error|fatal)"|embedded database|25P03|QueryOutsideTransaction/.test(line)).map((line) => `${p.name}: ${line.slice(0, 400)}`));
}

function expectKept(report: LoadReport) {
  expect(report.problems).toEqual([]);
  expect(report.problemCount).toBe(0);
  // The load really ran: every kind of write acknowledged, deletes too, and the limited users refused.
  for (const action of ['CreateUser', 'AddUserToGroup', 'CreateAccessKey', 'PutUserPolicy', 'DeleteAccessKey', 'DeleteUserPolicy', 'RemoveUserFromGroup', 'DeleteUser']) {
    expect(report.writes[action] ?? 0).toBeGreaterThan(0);
  }
  expect(report.usersDeleted).toBeGreaterThan(0);
  expect(report.refusals).toBeGreaterThan(0);
  expect(report.keysVerified).toBeGreaterThan(0);
}

describe(`embedded default (\`npm start\`): ${profile.clients} clients for ${profile.seconds} s`, () => {
  let dataDir: string;
  let app: RunningProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'iam-load-'));
  });

  afterAll(async () => {
    await app?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged write, crosses no reply, allows a limited user nothing more, answers no 5xx', async () => {
    const port = await freePort();
    // As `npm start` runs it: the built app, a fresh data folder, nothing from the environment.
    app = startApp('standalone', { DATABASE_URL: '', NATS_URL: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '', PORT: String(port), IAM_DATA_DIR: dataDir });
    const base = `http://127.0.0.1:${port}`;
    await waitForStatus(`${base}/health`, 200, 90_000);
    const root: Credentials = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8'));

    const report = await runMixedLoad(base, root, profile);
    process.stdout.write(`embedded default under load: ${JSON.stringify({ ...report, problems: undefined, users: undefined })}\n`);
    expectKept(report);
    expect(troubleIn([app])).toEqual([]);

    // And all of it is still there after a restart.
    await app.stop('SIGTERM');
    app = startApp('standalone', { DATABASE_URL: '', NATS_URL: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '', PORT: String(port), IAM_DATA_DIR: dataDir });
    await waitForStatus(`${base}/health`, 200, 90_000);
    const afterRestart: string[] = [];
    expect(await verifyStored(base, root, report.users, (line) => afterRestart.push(line))).toBe(report.keysVerified);
    expect(afterRestart).toEqual([]);
  });
});

describeWithServices(`distributed mode (NATS and PostgreSQL): ${profile.clients} clients for ${profile.seconds} s`, () => {
  let system: RunningSystem | undefined;

  afterAll(async () => {
    await system?.stop();
  });

  it('loses no acknowledged write, crosses no reply, allows a limited user nothing more, answers no 5xx', async () => {
    system = await startDistributedSystem({ IAM_DB_POOL_SIZE: '10' });
    const report = await runMixedLoad(system.base, system.root, profile);
    process.stdout.write(`distributed mode under load: ${JSON.stringify({ ...report, problems: undefined, users: undefined })}\n`);
    expectKept(report);
    expect(troubleIn(Object.values(system.processes))).toEqual([]);
  });
});
