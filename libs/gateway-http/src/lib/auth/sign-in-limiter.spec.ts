import { IamError } from '@iam/contracts';
import { SignInLimiter, signInSource } from './sign-in-limiter';

const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: IamError) => error.code);

describe('sign-in rate limits at the gateway', () => {
  it('answers Throttling beyond the limit of one source, and keeps other sources apart', async () => {
    const limiter = new SignInLimiter({ perSource: 3, perUserName: 0, windowSeconds: 60 });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await code(limiter.consume('192.0.2.1', `user-${i}`)));
    expect(answers).toEqual(['ok', 'ok', 'ok', 'Throttling', 'Throttling']);
    expect(await code(limiter.consume('192.0.2.2', 'user-0'))).toBe('ok');
  });

  it('counts one IPv6 /64 as one source', async () => {
    const limiter = new SignInLimiter({ perSource: 2, perUserName: 0, windowSeconds: 60 });
    expect(await code(limiter.consume('2001:db8:0:1::1', 'a'))).toBe('ok');
    expect(await code(limiter.consume('2001:db8:0:1:ffff::2', 'b'))).toBe('ok');
    expect(await code(limiter.consume('2001:db8:0:1::3', 'c'))).toBe('Throttling');
    expect(await code(limiter.consume('2001:db8:0:2::1', 'd'))).toBe('ok');
    expect(signInSource('::ffff:192.0.2.7')).toBe('192.0.2.7');
  });

  it('answers Throttling beyond the limit of one user name from any sources, names compared regardless of case', async () => {
    const limiter = new SignInLimiter({ perSource: 0, perUserName: 2, windowSeconds: 60 });
    expect(await code(limiter.consume('192.0.2.1', 'Alice'))).toBe('ok');
    expect(await code(limiter.consume('192.0.2.2', 'alice'))).toBe('ok');
    expect(await code(limiter.consume('192.0.2.3', 'ALICE'))).toBe('Throttling');
    expect(await code(limiter.consume('192.0.2.3', 'bob'))).toBe('ok');
  });

  it('limits nothing when both limits are 0', async () => {
    const limiter = new SignInLimiter({ perSource: 0, perUserName: 0, windowSeconds: 60 });
    for (let i = 0; i < 50; i++) expect(await code(limiter.consume('192.0.2.1', 'alice'))).toBe('ok');
  });
});
