import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describeWithServices } from '@iam/testing';
import { XMLParser } from 'fast-xml-parser';
import { ACCOUNT, signedQuery, startDistributedSystem, type Credentials, type RunningSystem } from './support/gateway';

jest.setTimeout(180_000);

/**
 * AWS STS on the gateway's endpoint through @aws-sdk/client-sts (SigV4 for service `sts`):
 * `GetCallerIdentity`, `GetAccessKeyInfo`, and AWS's InvalidAction for the STS actions not
 * served.
 */
describeWithServices('gateway: STS through @aws-sdk/client-sts', () => {
  let system: RunningSystem;
  let alice: Credentials;
  let bob: Credentials;

  const sts = (credentials: Credentials) => new STSClient({ endpoint: system.base, region: 'us-east-1', credentials, maxAttempts: 1 });

  beforeAll(async () => {
    system = await startDistributedSystem();
    const iam = new IAMClient({ endpoint: system.base, region: 'us-east-1', credentials: system.root, maxAttempts: 1 });
    const keysOf = async (UserName: string): Promise<Credentials> => {
      await iam.send(new CreateUserCommand({ UserName, Path: '/team/' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
      return { accessKeyId: AccessKey?.AccessKeyId as string, secretAccessKey: AccessKey?.SecretAccessKey as string };
    };
    alice = await keysOf('alice');
    bob = await keysOf('bob');
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'alice',
        PolicyName: 'KeyInfo',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:GetAccessKeyInfo', Resource: '*' } }),
      }),
    );
    iam.destroy();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('GetCallerIdentity answers who calls: root, and each user about itself, without any permission', async () => {
    await expect(sts(system.root).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:root`,
      UserId: ACCOUNT,
    });
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => sts(i % 2 === 0 ? alice : bob).send(new GetCallerIdentityCommand({}))),
    );
    replies.forEach((reply, i) => {
      const name = i % 2 === 0 ? 'alice' : 'bob';
      expect(reply).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/team/${name}`, UserId: expect.stringMatching(/^AIDA[A-Z0-9]+$/) });
    });
    expect(replies[0].UserId).not.toBe(replies[1].UserId);
  });

  it('GetAccessKeyInfo names the account of a key of this server, for a caller allowed sts:GetAccessKeyInfo', async () => {
    await expect(sts(alice).send(new GetAccessKeyInfoCommand({ AccessKeyId: bob.accessKeyId }))).resolves.toMatchObject({ Account: ACCOUNT });
    await expect(sts(system.root).send(new GetAccessKeyInfoCommand({ AccessKeyId: system.root.accessKeyId }))).resolves.toMatchObject({ Account: ACCOUNT });
    await expect(sts(bob).send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('answers InvalidAction for the STS actions not served, and refuses an STS call signed for iam', async () => {
    await expect(sts(system.root).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, RoleSessionName: 's' }))).rejects.toMatchObject({
      name: 'InvalidAction',
      message: 'The action AssumeRole is not supported by this server yet.',
      $metadata: { httpStatusCode: 400 },
    });
    // signedQuery signs for service iam: STS's scope check refuses it, as AWS does.
    const response = await signedQuery(system.base, system.root, { Action: 'GetCallerIdentity', Version: '2011-06-15' });
    expect(response.status).toBe(403);
    expect(new XMLParser().parse(await response.text()).ErrorResponse.Error).toMatchObject({
      Code: 'SignatureDoesNotMatch',
      Message: expect.stringContaining("Credential should be scoped to correct service: 'sts'."),
    });
    // An IAM action under STS's version is not an STS operation.
    const mixed = await signedQuery(system.base, system.root, { Action: 'ListUsers', Version: '2011-06-15' });
    expect(mixed.status).toBe(400);
    expect(new XMLParser().parse(await mixed.text()).ErrorResponse.Error).toMatchObject({ Code: 'InvalidAction', Message: 'Could not find operation ListUsers for version 2011-06-15' });
  });
});
