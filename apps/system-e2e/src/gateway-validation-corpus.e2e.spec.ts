import { loadValidationCorpus } from '@iam/policy-engine/testing';
import { describeWithServices } from '@iam/testing';
import { expectOk, sdkDriver, startDistributedSystem, type Driver, type RunningSystem } from './support/gateway';

jest.setTimeout(240_000);

const corpus = loadValidationCorpus();

/**
 * The policy validation corpus (`libs/policy-engine/validation/`) through the AWS Query API
 * with @aws-sdk/client-iam: `managed` cases with CreatePolicy, `inline` ones with
 * PutUserPolicy. Each is accepted, or refused with IAM's code, HTTP 400 and IAM's message.
 */
describeWithServices('gateway: policy validation as IAM answers it', () => {
  let system: RunningSystem;
  let call: Driver;

  beforeAll(async () => {
    system = await startDistributedSystem();
    call = sdkDriver(system.base);
    await expectOk(call(system.root, 'CreateUser', { UserName: 'corpus' }));
  });

  afterAll(async () => {
    await system?.stop();
  });

  it.each(corpus.map((c, i) => [`${c.file}: ${c.name}`, c, i] as const))('%s', async (_name, c, i) => {
    const PolicyName = `corpus-${i}`;
    const outcome =
      c.kind === 'managed'
        ? await call(system.root, 'CreatePolicy', { PolicyName, PolicyDocument: c.text })
        : await call(system.root, 'PutUserPolicy', { UserName: 'corpus', PolicyName, PolicyDocument: c.text });
    if ('valid' in c.expected) {
      if (!outcome.ok) throw new Error(`expected the document to be accepted, got ${outcome.code}: ${outcome.message}`);
      if (c.kind === 'managed') {
        const arn = (outcome.result['Policy'] as { Arn: string }).Arn;
        await expectOk(call(system.root, 'DeletePolicy', { PolicyArn: arn }));
      } else await expectOk(call(system.root, 'DeleteUserPolicy', { UserName: 'corpus', PolicyName }));
    } else {
      expect(outcome).toEqual({ ok: false, code: c.expected.code, status: c.expected.code === 'LimitExceeded' ? 409 : 400, message: c.expected.message });
    }
  });
});
