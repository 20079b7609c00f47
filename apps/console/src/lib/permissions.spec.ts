import { PermissionBatcher, permissionOf, chunks, MAX_CHECKS_PER_REQUEST, type Check, type CheckResult } from './permissions';

function answering(decide: (check: Check) => CheckResult['Decision'], missing: (check: Check) => string[] = () => []) {
  const requests: Check[][] = [];
  let run: (() => void) | undefined;
  const batcher = new PermissionBatcher(
    async (checks) => {
      requests.push(checks);
      return checks.map((c) => ({ Action: c.action, Resource: c.resource, Decision: decide(c), MissingContextKeys: missing(c) }));
    },
    (fn) => (run = fn),
  );
  return { batcher, requests, send: async () => { const fn = run; run = undefined; fn?.(); await new Promise((r) => setTimeout(r, 0)); } };
}

const check = (action: string, resource = '*'): Check => ({ action, resource });

describe('asking the gateway what the caller may do, in batches', () => {
  it('gathers the asks of one render into one request, without repeats, and answers them', async () => {
    const { batcher, requests, send } = answering((c) => (c.action === 'iam:DeleteUser' ? 'explicitDeny' : c.action === 'iam:CreateUser' ? 'implicitDeny' : 'allowed'));
    let notified = 0;
    batcher.subscribe(() => notified++);
    expect(batcher.get(check('iam:ListUsers'))).toBe('unknown');
    expect(batcher.get(check('iam:DeleteUser', 'arn:u'))).toBe('unknown');
    expect(batcher.get(check('iam:listusers'))).toBe('unknown');
    expect(batcher.get(check('iam:CreateUser', 'arn:u'))).toBe('unknown');
    await send();
    expect(requests).toEqual([[check('iam:ListUsers'), check('iam:DeleteUser', 'arn:u'), check('iam:CreateUser', 'arn:u')]]);
    expect(batcher.get(check('iam:ListUsers'))).toBe('allowed');
    expect(batcher.get(check('iam:DeleteUser', 'arn:u'))).toBe('denied');
    expect(batcher.get(check('iam:CreateUser', 'arn:u'))).toBe('denied');
    expect(notified).toBe(1);
    // Answers are kept: no second request.
    await send();
    expect(requests).toHaveLength(1);
  });

  it('splits more than 100 checks into requests of at most 100', async () => {
    const { batcher, requests, send } = answering(() => 'allowed');
    for (let i = 0; i < 250; i++) batcher.get(check('iam:GetUser', `arn:u${i}`));
    await send();
    expect(requests.map((r) => r.length)).toEqual([MAX_CHECKS_PER_REQUEST, MAX_CHECKS_PER_REQUEST, 50]);
    expect(batcher.get(check('iam:GetUser', 'arn:u249'))).toBe('allowed');
  });

  it('leaves a decision that depends on what only the request gives to the API', () => {
    expect(permissionOf({ Decision: 'implicitDeny', MissingContextKeys: ['iam:PolicyARN'] })).toBe('unknown');
    expect(permissionOf({ Decision: 'explicitDeny', MissingContextKeys: ['iam:PolicyARN'] })).toBe('denied');
    expect(permissionOf({ Decision: 'allowed', MissingContextKeys: [] })).toBe('allowed');
    expect(permissionOf(undefined)).toBe('unknown');
  });

  it('keeps what failed unknown (the API decides when it is tried), and forgets everything on clear', async () => {
    let fail = true;
    const failures: unknown[] = [];
    let run: (() => void) | undefined;
    const batcher = new PermissionBatcher(
      async (checks) => {
        if (fail) throw new Error('gateway down');
        return checks.map((c) => ({ Action: c.action, Resource: c.resource, Decision: 'allowed' as const, MissingContextKeys: [] }));
      },
      (fn) => (run = fn),
      (error) => failures.push(error),
    );
    batcher.get(check('iam:ListUsers'));
    run?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(batcher.get(check('iam:ListUsers'))).toBe('unknown');
    expect(failures).toHaveLength(1);
    fail = false;
    batcher.clear();
    expect(batcher.get(check('iam:ListUsers'))).toBe('unknown');
    run?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(batcher.get(check('iam:ListUsers'))).toBe('allowed');
  });

  it('drops an answer that arrives after clear (it may be about the previous page or principal)', async () => {
    let release: () => void = () => undefined;
    let run: (() => void) | undefined;
    const batcher = new PermissionBatcher(
      (checks) => new Promise((done) => (release = () => done(checks.map((c) => ({ Action: c.action, Resource: c.resource, Decision: 'allowed' as const, MissingContextKeys: [] }))))),
      (fn) => (run = fn),
    );
    batcher.get(check('iam:ListUsers'));
    run?.();
    batcher.clear();
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(batcher.get(check('iam:ListUsers'))).toBe('unknown');
  });

  it('chunks', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 2)).toEqual([]);
  });
});
