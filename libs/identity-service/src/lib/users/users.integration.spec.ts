import { INestMicroservice } from '@nestjs/common';
import { BusClient, IamError, IdentityPatterns } from '@iam/contracts';
import { startService } from '@iam/platform';
import { createTestDatabase, describeWithServices, isolatedNatsTransport, silentLogger, testBusClient, TestDatabase } from '@iam/testing';
import { identityOptions, IdentityEnv } from '../identity.options';
import { IdentityServiceModule } from '../identity-service.module';

describeWithServices('identity users over NATS and PostgreSQL', () => {
  let database: TestDatabase;
  let service: INestMicroservice;
  let bus: BusClient & { close(): Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase();
    const transport = isolatedNatsTransport();
    const env = IdentityEnv.parse({ DATABASE_URL: database.url, IAM_ACCOUNT_ID: '123456789012', IAM_DB_POOL_SIZE: '2' });
    service = await startService({
      name: 'identity',
      module: IdentityServiceModule.register(identityOptions(env, transport)),
      transport,
      logger: silentLogger('identity'),
    });
    bus = await testBusClient(transport);
  });

  afterAll(async () => {
    await bus?.close();
    await service?.close();
    await database?.drop();
  });

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: IamError) => ({ code: error.code, message: error.message }),
    );

  it('creates a user with AWS shapes and reads it back by name regardless of case', async () => {
    const { User } = await bus.send(IdentityPatterns.CreateUser, { UserName: 'Carol', Path: '/eng/' });
    expect(User.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    expect(User.Arn).toBe('arn:aws:iam::123456789012:user/eng/Carol');
    expect(new Date(User.CreateDate).toISOString()).toBe(User.CreateDate);

    const read = await bus.send(IdentityPatterns.GetUser, { UserName: 'CAROL' });
    expect(read.User).toEqual(User);
  });

  it('refuses a second user whose name differs only by case', async () => {
    await bus.send(IdentityPatterns.CreateUser, { UserName: 'dave' });
    await expect(failure(bus.send(IdentityPatterns.CreateUser, { UserName: 'DAVE' }))).resolves.toEqual({
      code: 'EntityAlreadyExists',
      message: 'User with name DAVE already exists.',
    });
  });

  it('answers NoSuchEntity for an unknown user', async () => {
    await expect(failure(bus.send(IdentityPatterns.GetUser, { UserName: 'nobody' }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name nobody cannot be found.',
    });
  });

  it.each([
    ['a space', 'bad name', 'Member must satisfy regular expression pattern'],
    ['65 characters', 'x'.repeat(65), 'Member must have length less than or equal to 64'],
    ['an empty name', '', 'Member must have length greater than or equal to 1'],
  ])('refuses a name with %s as ValidationError', async (_case, name, reason) => {
    const error = await failure(bus.send(IdentityPatterns.CreateUser, { UserName: name }));
    expect(error.code).toBe('ValidationError');
    expect(error.message).toContain(`at 'userName' failed to satisfy constraint: ${reason}`);
  });

  it('refuses a message that is not the contract (unknown field, missing name)', async () => {
    const unknown = await failure(bus.send(IdentityPatterns.CreateUser, { UserName: 'erin', Admin: true } as never));
    expect(unknown.code).toBe('ValidationError');
    const missing = await failure(bus.send(IdentityPatterns.CreateUser, {} as never));
    expect(missing).toEqual({
      code: 'ValidationError',
      message: "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
    });
  });

  it('answers its health check with its database', async () => {
    await expect(bus.send(IdentityPatterns.Health, {})).resolves.toEqual({ service: 'identity', database: 'up' });
  });
});
