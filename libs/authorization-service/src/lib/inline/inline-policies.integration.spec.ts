import { AuthorizationPatterns as P, IamError } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { allow, deny, failure, Harness, policy, startAuthorization } from '../../test-support/harness';

describeWithServices('inline policies over NATS and PostgreSQL', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startAuthorization();
    h.identity.create('alice');
    h.directory.create('devs');
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A valid document of exactly `size` characters without white space. */
  function sized(size: number, spaces = 0): string {
    const base = policy(allow('s3:GetObject', 'arn:aws:s3:::b/'));
    const padding = size - base.length;
    const text = policy(allow('s3:GetObject', `arn:aws:s3:::b/${'x'.repeat(padding)}`));
    expect(text.length).toBe(size);
    return spaces > 0 ? text.replace('{', `{${' '.repeat(spaces)}`) : text;
  }

  it('puts, gets (raw document), replaces regardless of name case, lists and deletes a user policy', async () => {
    const document = '{ "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}] }';
    await h.bus.send(P.PutUserPolicy, { UserName: 'ALICE', PolicyName: 'Reads', PolicyDocument: document });
    await expect(h.bus.send(P.GetUserPolicy, { UserName: 'alice', PolicyName: 'reads' })).resolves.toEqual({
      UserName: 'alice',
      PolicyName: 'Reads',
      PolicyDocument: document,
    });
    await h.bus.send(P.PutUserPolicy, { UserName: 'alice', PolicyName: 'READS', PolicyDocument: policy(deny('s3:*')) });
    const replaced = await h.bus.send(P.GetUserPolicy, { UserName: 'alice', PolicyName: 'Reads' });
    expect(replaced).toEqual({ UserName: 'alice', PolicyName: 'READS', PolicyDocument: policy(deny('s3:*')) });
    await h.bus.send(P.PutUserPolicy, { UserName: 'alice', PolicyName: 'Another', PolicyDocument: policy(allow('ec2:*')) });
    await expect(h.bus.send(P.ListUserPolicies, { UserName: 'alice' })).resolves.toEqual({ PolicyNames: ['Another', 'READS'], IsTruncated: false });
    const first = await h.bus.send(P.ListUserPolicies, { UserName: 'alice', MaxItems: 1 });
    const second = await h.bus.send(P.ListUserPolicies, { UserName: 'alice', MaxItems: 1, Marker: first.Marker });
    expect([first.PolicyNames, second.PolicyNames, second.IsTruncated]).toEqual([['Another'], ['READS'], false]);

    await h.bus.send(P.DeleteUserPolicy, { UserName: 'alice', PolicyName: 'reads' });
    await h.bus.send(P.DeleteUserPolicy, { UserName: 'alice', PolicyName: 'Another' });
    await expect(failure(h.bus.send(P.GetUserPolicy, { UserName: 'alice', PolicyName: 'Reads' }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The user policy with name Reads cannot be found.',
    });
    await expect(failure(h.bus.send(P.DeleteUserPolicy, { UserName: 'alice', PolicyName: 'Reads' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
  });

  it('lists names byte by byte after lower-casing, and pages the same way', async () => {
    h.identity.create('sorter');
    for (const name of ['p_1', 'P0', 'p1', 'p-1']) await h.bus.send(P.PutUserPolicy, { UserName: 'sorter', PolicyName: name, PolicyDocument: policy(allow('s3:*')) });
    expect((await h.bus.send(P.ListUserPolicies, { UserName: 'sorter' })).PolicyNames).toEqual(['p-1', 'P0', 'p1', 'p_1']);
    const paged: string[] = [];
    let marker: string | undefined;
    do {
      const reply = await h.bus.send(P.ListUserPolicies, { UserName: 'sorter', MaxItems: 1, ...(marker ? { Marker: marker } : {}) });
      paged.push(...reply.PolicyNames);
      marker = reply.IsTruncated ? reply.Marker : undefined;
    } while (marker);
    expect(paged).toEqual(['p-1', 'P0', 'p1', 'p_1']);
  });

  it('does the same for groups', async () => {
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'DEVS', PolicyName: 'Build', PolicyDocument: policy(allow('codebuild:*')) });
    await expect(h.bus.send(P.GetGroupPolicy, { GroupName: 'devs', PolicyName: 'build' })).resolves.toEqual({
      GroupName: 'devs',
      PolicyName: 'Build',
      PolicyDocument: policy(allow('codebuild:*')),
    });
    await expect(h.bus.send(P.ListGroupPolicies, { GroupName: 'devs' })).resolves.toEqual({ PolicyNames: ['Build'], IsTruncated: false });
    await h.bus.send(P.DeleteGroupPolicy, { GroupName: 'devs', PolicyName: 'Build' });
    await expect(failure(h.bus.send(P.GetGroupPolicy, { GroupName: 'devs', PolicyName: 'Build' }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The group policy with name Build cannot be found.',
    });
  });

  it('keeps a user within 2,048 characters of inline policies, white space not counted', async () => {
    h.identity.create('sized');
    await h.bus.send(P.PutUserPolicy, { UserName: 'sized', PolicyName: 'A', PolicyDocument: sized(1000, 500) });
    await h.bus.send(P.PutUserPolicy, { UserName: 'sized', PolicyName: 'B', PolicyDocument: sized(1048) });
    await expect(failure(h.bus.send(P.PutUserPolicy, { UserName: 'sized', PolicyName: 'C', PolicyDocument: sized(200) }))).resolves.toEqual({
      code: 'LimitExceeded',
      message: 'Maximum policy size of 2048 bytes exceeded for user sized',
    });
    // Replacing a policy counts its new size instead of its old one.
    await h.bus.send(P.PutUserPolicy, { UserName: 'sized', PolicyName: 'B', PolicyDocument: sized(848) });
    await h.bus.send(P.PutUserPolicy, { UserName: 'sized', PolicyName: 'C', PolicyDocument: sized(200) });
    await expect(h.bus.send(P.ListUserPolicies, { UserName: 'sized' })).resolves.toMatchObject({ PolicyNames: ['A', 'B', 'C'] });
  });

  it('keeps a group within 5,120 characters of inline policies', async () => {
    h.directory.create('big');
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'big', PolicyName: 'A', PolicyDocument: sized(3000) });
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'big', PolicyName: 'B', PolicyDocument: sized(2120) });
    await expect(failure(h.bus.send(P.PutGroupPolicy, { GroupName: 'big', PolicyName: 'C', PolicyDocument: sized(200) }))).resolves.toEqual({
      code: 'LimitExceeded',
      message: 'Maximum policy size of 5120 bytes exceeded for group big',
    });
  });

  it('refuses a malformed document with the engine path and reason and stores nothing', async () => {
    const error = await failure(
      h.bus.send(P.PutUserPolicy, {
        UserName: 'alice',
        PolicyName: 'Bad',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Principal: '*' }] }),
      }),
    );
    expect(error.code).toBe('MalformedPolicyDocument');
    expect(error.message).toBe('Policy document should not specify a principal.');
    await expect(failure(h.bus.send(P.GetUserPolicy, { UserName: 'alice', PolicyName: 'Bad' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
  });

  it('sends every problem of a malformed document over the bus, with its path, line and column', async () => {
    const document = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},\n    {"Effect": "Allow", "Resource": "*"}\n  ]\n}';
    const error = await h.bus.send(P.PutGroupPolicy, { GroupName: 'devs', PolicyName: 'Bad', PolicyDocument: document }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IamError);
    expect(error).toMatchObject({
      code: 'MalformedPolicyDocument',
      message: 'Policy statement must contain actions.',
      details: { problems: [{ message: 'statement is missing Action or NotAction', path: 'Statement[1]', line: 5, column: 5 }] },
    });
  });

  it('answers NoSuchEntity from every group pattern for an unknown group or group policy', async () => {
    h.directory.create('empty');
    for (const call of [
      () => h.bus.send(P.PutGroupPolicy, { GroupName: 'ghosts', PolicyName: 'X', PolicyDocument: policy(allow('s3:*')) }),
      () => h.bus.send(P.GetGroupPolicy, { GroupName: 'ghosts', PolicyName: 'X' }),
      () => h.bus.send(P.DeleteGroupPolicy, { GroupName: 'ghosts', PolicyName: 'X' }),
    ]) {
      await expect(failure(call())).resolves.toEqual({ code: 'NoSuchEntity', message: 'The group with name ghosts cannot be found.' });
    }
    await expect(failure(h.bus.send(P.DeleteGroupPolicy, { GroupName: 'empty', PolicyName: 'X' }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The group policy with name X cannot be found.',
    });
    await expect(failure(h.bus.send(P.GetUserPolicy, { UserName: 'nobody', PolicyName: 'X' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
    await expect(failure(h.bus.send(P.DeleteUserPolicy, { UserName: 'nobody', PolicyName: 'X' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
  });

  it('answers NoSuchEntity for an unknown user or group', async () => {
    await expect(failure(h.bus.send(P.PutUserPolicy, { UserName: 'nobody', PolicyName: 'X', PolicyDocument: policy(allow('s3:*')) }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name nobody cannot be found.',
    });
    await expect(failure(h.bus.send(P.ListGroupPolicies, { GroupName: 'nogroup' }))).resolves.toEqual({
      code: 'NoSuchEntity',
      message: 'The group with name nogroup cannot be found.',
    });
  });
});
