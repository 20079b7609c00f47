import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describeWithServices } from '@iam/testing';
import { ACCOUNT, startDistributedSystem, type RunningSystem } from './support/gateway';

jest.setTimeout(900_000);

const ROOT = resolve(__dirname, '../../..');
const SUITE = resolve(__dirname, '../python');
/** Debian's AWS CLI v2 (`apt-get install awscli`); `aws` on the PATH may be another one. */
const DEBIAN_AWS = '/usr/bin/aws';

/** The first Python that imports boto3 and pytest: IAM_PYTHON when set, else Debian's, else `python3` on the PATH. */
function findPython(): string {
  const candidates = [process.env['IAM_PYTHON'], '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import boto3, pytest'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  throw new Error(
    `No Python with boto3 and pytest (tried ${candidates.join(', ')}): apt-get install python3-boto3 python3-pytest (.ci/run does it)`,
  );
}

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

/**
 * The Python suite (`apps/system-e2e/python`, pytest + boto3, as much of our users' AWS test code
 * is written) against the apps as processes with the whole AWS managed policy catalogue, and
 * Debian's AWS CLI v2 against the same system. Without Python, boto3 or pytest this spec fails;
 * it never skips.
 */
describeWithServices('gateway: boto3 and the AWS CLI v2', () => {
  let system: RunningSystem;
  let python: string;

  beforeAll(async () => {
    python = findPython();
    system = await startDistributedSystem({ IAM_AWS_MANAGED_POLICIES: 'catalogue' });
  });

  afterAll(async () => {
    await system?.stop();
  });

  const clean = (): Record<string, string> => ({
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/tmp',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_ACCESS_KEY_ID: system.root.accessKeyId,
    AWS_SECRET_ACCESS_KEY: system.root.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
  });

  it('passes the pytest suite through boto3.client("iam") and ("sts")', async () => {
    const { code, output } = await run(python, ['-m', 'pytest', '-p', 'no:cacheprovider', '-q', '-ra', SUITE], {
      ...clean(),
      PYTHONDONTWRITEBYTECODE: '1',
      IAM_ENDPOINT_URL: system.base,
      IAM_ACCOUNT_ID: ACCOUNT,
      IAM_ROOT_ACCESS_KEY_ID: system.root.accessKeyId,
      IAM_ROOT_SECRET_ACCESS_KEY: system.root.secretAccessKey,
    });
    if (code !== 0) throw new Error(`pytest exited ${code}:\n${output}`);
    const passed = /(\d+) passed/.exec(output);
    expect(Number(passed?.[1] ?? 0)).toBeGreaterThanOrEqual(20);
    expect(output).not.toMatch(/\d+ (skipped|failed|error)/);
  });

  it('serves Debian\'s AWS CLI v2 with --endpoint-url', async () => {
    const version = spawnSync(DEBIAN_AWS, ['--version'], { encoding: 'utf8', env: clean() });
    if (version.status !== 0) throw new Error(`${DEBIAN_AWS} is missing: apt-get install awscli (.ci/run does it)`);
    expect(`${version.stdout}${version.stderr}`).toMatch(/^aws-cli\/2\./);

    const identity = await run(DEBIAN_AWS, ['sts', 'get-caller-identity', '--endpoint-url', system.base, '--output', 'json'], clean());
    expect(identity.code).toBe(0);
    expect(JSON.parse(identity.output)).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });

    const roles = await run(
      DEBIAN_AWS,
      ['iam', 'list-policies', '--scope', 'AWS', '--path-prefix', '/job-function/', '--endpoint-url', system.base, '--output', 'json'],
      clean(),
    );
    expect(roles.code).toBe(0);
    const names = (JSON.parse(roles.output) as { Policies: { PolicyName: string; Path: string }[] }).Policies.map((p) => p.PolicyName);
    expect(names).toEqual(expect.arrayContaining(['ViewOnlyAccess', 'DatabaseAdministrator']));

    const missing = await run(DEBIAN_AWS, ['iam', 'get-user', '--user-name', 'nobody-here', '--endpoint-url', system.base], clean());
    expect(missing.code).not.toBe(0);
    expect(missing.output).toMatch(/An error occurred \(NoSuchEntity\) when calling the GetUser operation( \(reached max retries: 0\))?: The user with name nobody-here cannot be found\./);
  });
});
