import { z } from 'zod';
import { IamError } from './errors';
import { CreatePolicyRequest } from './authorization';
import { CreateUserRequest } from './identity';
import { awsInteger, awsString, parseRequest } from './validation';

function validationError(schema: z.ZodType, input: unknown): string {
  try {
    parseRequest(schema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(IamError);
    expect((error as IamError).code).toBe('ValidationError');
    return (error as IamError).message;
  }
  throw new Error('expected a ValidationError');
}

describe('AWS-worded request validation', () => {
  it('accepts a valid request and returns the parsed value', () => {
    expect(parseRequest(CreateUserRequest, { UserName: 'a+b=c,d.e@f-g_h', Path: '/x/y/' })).toEqual({ UserName: 'a+b=c,d.e@f-g_h', Path: '/x/y/' });
  });

  it.each([
    [{ UserName: 'bad name' }, "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"],
    [{ UserName: 'x'.repeat(65) }, `1 validation error detected: Value '${'x'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`],
    [{}, "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"],
    [{ UserName: 42 }, "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must be of type string"],
  ])('words %j as AWS does', (input, message) => {
    expect(validationError(CreateUserRequest, input)).toBe(message);
  });

  it('counts and joins several violations', () => {
    const message = validationError(CreateUserRequest, { UserName: 'bad name', Path: 'no-slashes' });
    expect(message).toMatch(/^2 validation errors detected: Value 'bad name' at 'userName' .*; Value 'no-slashes' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });

  it('names list members the AWS way', () => {
    const message = validationError(CreateUserRequest, { UserName: 'ok', Tags: [{ Key: 'a', Value: 'b' }, { Key: '', Value: 'c' }] });
    expect(message).toContain("at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  it('refuses fields the contract does not know', () => {
    expect(validationError(CreateUserRequest, { UserName: 'ok', Admin: true })).toContain("Unrecognized parameter 'Admin'");
  });

  it('checks integer ranges', () => {
    const schema = z.object({ MaxItems: awsInteger(1, 1000) });
    expect(validationError(schema, { MaxItems: 0 })).toContain("Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
    expect(validationError(schema, { MaxItems: 1001 })).toContain('Member must have value less than or equal to 1000');
  });

  it('matches patterns against the whole value, not a part of it', () => {
    const schema = z.object({ Name: awsString({ pattern: '[a-z]+' }) });
    expect(validationError(schema, { Name: 'abc1' })).toContain('Member must satisfy regular expression pattern: [a-z]+');
  });

  it('refuses U+0000 in stored free text (PostgreSQL text cannot hold it): a policy description', () => {
    const document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
    expect(validationError(CreatePolicyRequest, { PolicyName: 'p', PolicyDocument: document, Description: 'a\u0000b' })).toBe(
      "1 validation error detected: Value 'a\u0000b' at 'description' failed to satisfy constraint: Member must not contain the NUL character (U+0000)",
    );
    expect(parseRequest(CreatePolicyRequest, { PolicyName: 'p', PolicyDocument: document, Description: 'Tab\there, ünïcode 😀' })).toMatchObject({ Description: 'Tab\there, ünïcode 😀' });
  });

  it('leaves U+0000 to free text that is only evaluated', () => {
    const schema = z.object({ Resource: awsString({ min: 1, max: 2048 }) });
    expect(parseRequest(schema, { Resource: 'arn:aws:s3:::a\u0000b' })).toEqual({ Resource: 'arn:aws:s3:::a\u0000b' });
  });
});
