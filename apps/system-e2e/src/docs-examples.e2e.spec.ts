import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DocCommand, scriptFor, shellExamples, stepsOf } from './support/doc-examples';
import { requireAwsCli } from './support/gateway';
import { freePort, ROOT, RunningProcess, startApp } from './support/processes';

/** Variables the embedded default must not pick up from the machine running the tests. */
const CLEAN = { DATABASE_URL: '', NATS_URL: '', HOST: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '', IAM_ACCOUNT_ID: '', IAM_ROOT_PASSWORD: '' };

/** The documents whose shell examples a newcomer runs one after the other, in this order. */
const DOCUMENTS = ['README.md', 'docs/gateway.md'];

jest.setTimeout(600_000);

/**
 * The README's and docs/gateway.md's shell examples (AWS CLI, curl, jq), run as written, one after
 * the other in one shell, against the embedded default started afresh with its data folder at
 * `./data` of the shell's working folder, as `npm start` makes it. The only change made to them:
 * the address `http://localhost:8080` becomes the free port this run listens on. Every command must
 * succeed (curl is given `--fail-with-body`, so an HTTP error fails it), except those whose comment
 * names the AWS error they answer, which must fail with that error.
 */
describe('the documents\' examples, in order, on a fresh embedded default', () => {
  let app: RunningProcess;
  let folder: string;
  let port: number;
  const commands: DocCommand[] = DOCUMENTS.flatMap((file) => shellExamples(ROOT, file));

  beforeAll(async () => {
    requireAwsCli();
    folder = mkdtempSync(join(tmpdir(), 'iam-docs-examples-'));
    mkdirSync(join(folder, 'home'));
    port = await freePort();
    app = startApp('standalone', { ...CLEAN, PORT: String(port), IAM_DATA_DIR: join(folder, 'data') });
    await app.waitForLine(/^Root access keys generated and stored in /, 240_000);
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('finds the examples: the README\'s calls, the CLI and curl tutorials, sessions, decisions', () => {
    const text = commands.map((c) => c.text).join('\n');
    for (const expected of ['aws iam create-group --group-name admins', '$IAM create-user --user-name dave', '$BASE/v1/sessions', '$BASE/v1/authorize', '$BASE/v1/me/permissions', '$BASE/v1/me/password']) {
      expect(text).toContain(expected);
    }
    expect(commands.filter((c) => c.expectedError).map((c) => c.expectedError)).toEqual(['AccessDenied', 'AccessDenied', 'PasswordResetRequired', 'InvalidToken']);
    expect(commands.length).toBeGreaterThan(50);
  });

  it('runs every example as written: each succeeds, or fails with the error its comment names', async () => {
    const local = commands.map((c) => ({ ...c, text: c.text.replace(/http:\/\/localhost:8080/g, `http://127.0.0.1:${port}`) }));
    // curl exits non-zero on an HTTP error (its body still shown), so a refused call fails its step.
    const prelude = 'curl() { command curl --fail-with-body "$@"; }';
    const script = join(folder, 'examples.sh');
    writeFileSync(script, scriptFor(local, prelude));
    const output = await new Promise<string>((done, fail) => {
      const shell = spawn('bash', [script], {
        cwd: folder,
        // A clean home: no AWS profile or configuration of the machine's user is read.
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: join(folder, 'home'), LANG: 'C.UTF-8', AWS_EC2_METADATA_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      shell.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      shell.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      shell.once('error', fail);
      shell.once('exit', () => done(text));
    });
    const steps = stepsOf(output, local.length);
    const report = local.map((command, index) => {
      const step = steps[index];
      if (!step) return { where: command.where, command: command.text, ran: false, ok: false };
      const ok = command.expectedError
        ? step.status !== 0 && (step.output.includes(`(${command.expectedError})`) || step.output.includes(`"code":"${command.expectedError}"`))
        : step.status === 0;
      return { where: command.where, command: command.text, ran: true, ok, ...(ok ? {} : { status: step.status, output: step.output.slice(0, 2000) }) };
    });
    const failed = report.filter((r) => !r.ran || !r.ok);
    expect(failed).toEqual([]);
    // The tutorial's decisions as the documents say: dave's move changed his permissions, erin's report is hers to read.
    const authorize = steps[local.findIndex((c) => c.text.includes('/v1/authorize'))];
    expect(JSON.parse(authorize?.output ?? '{}')).toMatchObject({ Principal: 'arn:aws:iam::000000000000:user/erin', Decision: 'allowed', MatchedStatements: [{ PolicyName: 'ReadReports', Sid: 'Reports' }] });
  });
});
