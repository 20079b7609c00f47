import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthorizationPatterns, IamError } from '@iam/contracts';
import { inProcessTransport, startStubService } from '@iam/testing';
import { XMLParser } from 'fast-xml-parser';
import { HeaderAuthenticator, json, startTestGateway } from '../../test-support/harness';
import { Authorizer } from '../auth/authorizer';
import { restErrorBody } from './error.filter';

class AllowAll extends Authorizer {
  async authorize(): Promise<void> {
    return undefined;
  }
}

const xml = new XMLParser();

const PROBLEMS = [
  { message: 'statement is missing Action or NotAction', path: 'Statement[1]', line: 9, column: 5 },
  { message: 'action "s3" must have the form service:action (e.g. s3:GetObject) or be "*"', path: 'Statement[0].Action', line: 5, column: 7 },
  { message: 'policy document is missing Statement\nsomething', path: '' },
];

describe('restErrorBody', () => {
  it('is {code, message, requestId} for an error without details', () => {
    expect(restErrorBody(new IamError('NoSuchEntity', 'The user with name a cannot be found.'), 'r1')).toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name a cannot be found.',
      requestId: 'r1',
    });
  });

  it('adds every problem with its path, line and column, each on one line', () => {
    expect(restErrorBody(new IamError('MalformedPolicyDocument', 'Policy statement must contain actions.', { problems: PROBLEMS }), 'r2')).toEqual({
      code: 'MalformedPolicyDocument',
      message: 'Policy statement must contain actions.',
      requestId: 'r2',
      Problems: [
        { Message: 'statement is missing Action or NotAction', Path: 'Statement[1]', Line: 9, Column: 5 },
        { Message: PROBLEMS[1].message, Path: 'Statement[0].Action', Line: 5, Column: 7 },
        { Message: 'policy document is missing Statement\\nsomething', Path: '' },
      ],
    });
  });
});

describe('MalformedPolicyDocument with problems through both fronts', () => {
  let app: NestFastifyApplication;
  let url: string;
  let stub: { close(): Promise<void> };

  beforeAll(async () => {
    const transport = inProcessTransport();
    stub = await startStubService(transport, 'authorization', {
      [AuthorizationPatterns.CreatePolicy]: () => {
        throw new IamError('MalformedPolicyDocument', 'Policy statement must contain actions.', { problems: PROBLEMS });
      },
    });
    ({ app, url } = await startTestGateway({ transport, authenticator: new HeaderAuthenticator(), authorizer: new AllowAll() }));
  });

  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });

  const document = '{"Version": "2012-10-17", "Statement": []}';

  it('REST: AWS\'s message, and the problems the service sent over the bus', async () => {
    const response = await fetch(`${url}/v1/policies`, {
      method: 'POST',
      headers: { authorization: 'Test root', 'content-type': 'application/json' },
      body: JSON.stringify({ PolicyName: 'Bad', PolicyDocument: document }),
    });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body).toEqual({
      code: 'MalformedPolicyDocument',
      message: 'Policy statement must contain actions.',
      requestId: response.headers.get('x-amzn-requestid'),
      Problems: [
        { Message: 'statement is missing Action or NotAction', Path: 'Statement[1]', Line: 9, Column: 5 },
        { Message: PROBLEMS[1].message, Path: 'Statement[0].Action', Line: 5, Column: 7 },
        { Message: 'policy document is missing Statement\\nsomething', Path: '' },
      ],
    });
  });

  it('Query API: AWS\'s ErrorResponse with AWS\'s one message and nothing more', async () => {
    const response = await fetch(`${url}/`, {
      method: 'POST',
      headers: { authorization: 'Test root', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Action: 'CreatePolicy', Version: '2010-05-08', PolicyName: 'Bad', PolicyDocument: document }).toString(),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    const body = xml.parse(text);
    expect(Object.keys(body.ErrorResponse).sort()).toEqual(['Error', 'RequestId']);
    expect(body.ErrorResponse.Error).toEqual({ Type: 'Sender', Code: 'MalformedPolicyDocument', Message: 'Policy statement must contain actions.' });
    expect(text).not.toMatch(/Problem|Statement\[1\]|missing Action/);
  });
});
