import { ApiError, signInMessage } from './api';

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
