import { execFile } from 'node:child_process';
import { describeWithServices } from '@iam/testing';
import { cliDriver, expectOk, requireAwsCli, startDistributedSystem, type Driver, type RunningSystem } from './support/gateway';
import { tutorialStory } from './support/gateway-story';

jest.setTimeout(240_000);

/**
 * The same tutorial through the AWS CLI (`aws iam ... --endpoint-url`), as people script it,
 * against the apps as processes over NATS and PostgreSQL. Without the CLI this spec fails
 * (it does not skip).
 */
describeWithServices('gateway: the tutorial through the AWS CLI', () => {
  let system: RunningSystem;
  let call: Driver;

  beforeAll(async () => {
    requireAwsCli();
    system = await startDistributedSystem();
    call = cliDriver(system.base);
  });

  afterAll(async () => {
    await system?.stop();
  });

  tutorialStory('query', () => ({ call, root: system.root }));

  it('answers MissingAuthenticationToken to an unsigned call (--no-sign-request)', async () => {
    const outcome = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = execFile('aws', ['iam', 'list-users', '--no-sign-request', '--endpoint-url', system.base, '--region', 'us-east-1'], {
        env: { PATH: process.env['PATH'] ?? '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1' },
      }, (error, _stdout, stderr) => done({ code: error ? (child.exitCode ?? 1) : 0, stderr }));
    });
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain('An error occurred (MissingAuthenticationToken) when calling the ListUsers operation: Request is missing Authentication Token');
  });

  it('decodes URL-encoded policy documents into JSON, as it does with AWS', async () => {
    const version = await expectOk(call(system.root, 'GetPolicyVersion', { PolicyArn: 'arn:aws:iam::123456789012:policy/ReadUsers', VersionId: 'v1' }));
    expect((version['PolicyVersion'] as { Document: unknown }).Document).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:GetUser'], Resource: '*' }],
    });
  });

  it('reads the account: summary, authorization details and the credential report', async () => {
    const summary = await expectOk(call(system.root, 'GetAccountSummary', {}));
    expect(summary['SummaryMap']).toMatchObject({ Groups: 3, Users: 2 });
    const details = await expectOk(call(system.root, 'GetAccountAuthorizationDetails', { Filter: ['User'] }));
    expect((details['UserDetailList'] as Array<{ UserName: string }>).map((u) => u.UserName).sort()).toEqual(['admin', 'dave']);
    await expectOk(call(system.root, 'GenerateCredentialReport', {}));
    const report = await expectOk(call(system.root, 'GetCredentialReport', {}));
    expect(Buffer.from(String(report['Content']), 'base64').toString('utf8')).toMatch(/^user,arn,user_creation_time,/);
  });
});
