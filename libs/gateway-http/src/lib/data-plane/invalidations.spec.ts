import type { RequestInfo } from '../application/request-info';
import { OPERATIONS } from '../operations';
import { userCaller } from '../../test-support/harness';
import { CHANGES_NOTHING_CACHED, INVALIDATIONS, invalidationOf } from './invalidations';
import { sessionDigest } from './data-plane';

const request = { headers: { authorization: 'Bearer tok-123' } } as unknown as RequestInfo;
const alice = userCaller('alice');

describe('what each operation invalidates', () => {
  it('names every operation of the table that is not a read, deliberately', () => {
    const names = OPERATIONS.map((operation) => operation.name);
    for (const name of [...Object.keys(INVALIDATIONS), ...CHANGES_NOTHING_CACHED]) expect(names).toContain(name);
    // Nothing falls to "drop everything" by omission.
    const byDefault = names.filter((name) => {
      const invalidation = invalidationOf(name, {}, alice, request);
      return invalidation?.all === true && !(name in INVALIDATIONS);
    });
    expect(byDefault).toEqual([]);
  });

  it('drops everything for an operation it does not know', () => {
    expect(invalidationOf('SomeNewWrite', {}, alice, request)).toEqual({ all: true, keys: [] });
    expect(invalidationOf('GetUser', { UserName: 'x' }, alice, request)).toBeUndefined();
    expect(invalidationOf('CreateUser', { UserName: 'x' }, alice, request)).toBeUndefined();
  });

  it('names what a narrowing change affects, regardless of the letter case it was given in', () => {
    expect(invalidationOf('RemoveUserFromGroup', { UserName: 'Bob', GroupName: 'Devs' }, alice, request)).toEqual({ keys: ['u:bob'] });
    expect(invalidationOf('DetachGroupPolicy', { GroupName: 'Devs', PolicyArn: 'arn:aws:iam::123456789012:policy/P' }, alice, request)).toEqual({ keys: ['g:devs'] });
    expect(invalidationOf('SetDefaultPolicyVersion', { PolicyArn: 'arn:aws:iam::123456789012:policy/P', VersionId: 'v2' }, alice, request)).toEqual({
      keys: ['p:arn:aws:iam::123456789012:policy/p'],
    });
    expect(invalidationOf('UpdateAccessKey', { AccessKeyId: 'AKIAEXAMPLE', Status: 'Inactive' }, alice, request)?.keys).toEqual(['k:AKIAEXAMPLE', `i:${alice.type === 'user' ? alice.userId : ''}`]);
    expect(invalidationOf('DeleteCurrentSession', {}, alice, request)).toEqual({ keys: [`s:${sessionDigest('tok-123')}`] });
    expect(invalidationOf('UpdateAccountPasswordPolicy', {}, alice, request)).toEqual({ all: true, keys: [] });
  });
});
