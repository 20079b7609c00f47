import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithServices } from '@iam/testing';
import { ACCOUNT, requireAwsCli, startDistributedSystem, type RunningSystem } from './support/gateway';
import { ROOT } from './support/processes';

jest.setTimeout(180_000);

/**
 * `npm run aws -- ...` (tools/aws.mjs): the AWS CLI with the endpoint and the embedded
 * default's root keys (read from IAM_DATA_DIR/root-credentials.json) set for it.
 */
describeWithServices('npm run aws: the AWS CLI against this server', () => {
  let system: RunningSystem;
  let dataDir: string;

  beforeAll(async () => {
    requireAwsCli();
    system = await startDistributedSystem();
    dataDir = mkdtempSync(join(tmpdir(), 'iam-aws-wrapper-'));
    writeFileSync(join(dataDir, 'root-credentials.json'), JSON.stringify(system.root), { mode: 0o600 });
  });

  afterAll(async () => {
    await system?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const run = (args: string[], extraEnv: Record<string, string> = {}) =>
    spawnSync('node', [join(ROOT, 'tools/aws.mjs'), ...args], {
      encoding: 'utf8',
      // Credentials of the caller's own that must never be used.
      env: { ...process.env, IAM_ENDPOINT_URL: system.base, IAM_DATA_DIR: dataDir, AWS_ACCESS_KEY_ID: 'AKIAREALAWSKEY000000', AWS_SECRET_ACCESS_KEY: 'real-secret', AWS_MAX_ATTEMPTS: '1', ...extraEnv },
    });

  it('runs sts get-caller-identity and iam commands as the root of this server', () => {
    const identity = run(['sts', 'get-caller-identity', '--output', 'json']);
    expect(identity.stderr).toBe('');
    expect(JSON.parse(identity.stdout)).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
    expect(run(['iam', 'create-user', '--user-name', 'wrapped']).status).toBe(0);
    const users = run(['iam', 'list-users', '--output', 'json']);
    expect(JSON.parse(users.stdout).Users.map((u: { UserName: string }) => u.UserName)).toContain('wrapped');
  });

  it('refuses an --endpoint-url of the caller, and says where the keys are when there are none', () => {
    const own = run(['iam', 'list-users', '--endpoint-url', 'https://iam.amazonaws.com']);
    expect(own.status).toBe(2);
    expect(own.stderr).toContain('sets --endpoint-url itself');
    const empty = mkdtempSync(join(tmpdir(), 'iam-aws-wrapper-empty-'));
    const none = run(['iam', 'list-users'], { IAM_DATA_DIR: empty });
    rmSync(empty, { recursive: true, force: true });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('No root keys');
  });
});
