import { Api, ApiError, apiProblemsOf, signInMessage } from './api';

describe('sign-in messages', () => {
  it('never tell whether the user exists: a wrong password, an unknown user and a user without a password read the same', () => {
    const failed = new ApiError('SignInFailed', 'The user name or password is incorrect.', 401);
    expect(signInMessage(failed)).toBe('The user name or password is incorrect, or this user may not sign in.');
  });

  it('say when to try again after too many attempts, whatever the code the server uses', () => {
    expect(signInMessage(new ApiError('Throttling', 'Rate exceeded', 429, undefined, 30))).toBe('Too many sign-in attempts. Try again in 30 seconds.');
    expect(signInMessage(new ApiError('LimitExceeded', 'locked', 429, undefined, 900))).toBe('Too many sign-in attempts. Try again in 15 minutes.');
    expect(signInMessage(new ApiError('SomethingNew', 'x', 429))).toBe('Too many sign-in attempts. Try again later.');
  });

  it('pass on what the server says otherwise', () => {
    expect(signInMessage(new ApiError('ServiceUnavailable', 'identity did not answer', 503))).toBe('identity did not answer');
    expect(signInMessage(new Error('boom'))).toBe('Sign-in failed. Try again.');
  });
});

describe("the API's errors", () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  function answering(status: number, body: unknown): void {
    globalThis.fetch = (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;
  }

  it("keep a MalformedPolicyDocument's Problems, dropping entries that are not problems", async () => {
    answering(400, {
      code: 'MalformedPolicyDocument',
      message: 'Policy statement must contain actions.',
      requestId: 'r1',
      Problems: [
        { Message: 'statement is missing Action or NotAction', Path: 'Statement[1]', Line: 9, Column: 5 },
        { Message: 'policy document is missing Statement', Path: '' },
        { Message: 'no path' },
        { Message: 'bad line', Path: 'Version', Line: 0 },
      ],
    });
    const error = await new Api(() => 'token').post('/v1/policies', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'MalformedPolicyDocument',
      message: 'Policy statement must contain actions.',
      status: 400,
      requestId: 'r1',
      problems: [
        { Message: 'statement is missing Action or NotAction', Path: 'Statement[1]', Line: 9, Column: 5 },
        { Message: 'policy document is missing Statement', Path: '' },
      ],
    });
  });

  it('have no problems when the body has none', async () => {
    answering(404, { code: 'NoSuchEntity', message: 'The user with name a cannot be found.', requestId: 'r2' });
    const error = (await new Api(() => 'token').get('/v1/users/a').catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('NoSuchEntity');
    expect(error.problems).toBeUndefined();
    expect(apiProblemsOf('Statement[1]')).toBeUndefined();
    expect(apiProblemsOf([])).toBeUndefined();
  });
});
