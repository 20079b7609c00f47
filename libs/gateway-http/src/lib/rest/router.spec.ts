import { IamError } from '@iam/contracts';
import { defineOperation, input, required, type HttpMethod } from '../operations/operation';
import { Shapes } from '../operations/shapes';
import { RestRouter } from './router';

const op = (name: string, method: HttpMethod, path: string) =>
  defineOperation({
    name,
    query: false,
    tag: 't',
    summary: name,
    input: input({ UserName: required(Shapes.userName), PolicyArn: Shapes.arn, AccessKeyId: Shapes.accessKeyId }),
    checks: () => [],
    call: async () => ({}),
    rest: { method, path },
  });

describe('RestRouter', () => {
  const router = new RestRouter([
    op('GetUser', 'GET', '/v1/users/{UserName}'),
    op('ListGroupsForUser', 'GET', '/v1/users/{UserName}/groups'),
    op('Detach', 'DELETE', '/v1/users/{UserName}/attached-policies/{PolicyArn}'),
    op('Caller', 'GET', '/v1/users/me'),
    op('DeleteKey', 'DELETE', '/v1/users/{UserName}/access-keys/{AccessKeyId}'),
  ]);

  it('matches members and decodes them after matching, so an encoded slash stays in its segment', () => {
    const arn = 'arn:aws:iam::123456789012:policy/team/ReadOnly';
    const match = router.match('DELETE', `/v1/users/ann/attached-policies/${encodeURIComponent(arn)}`);
    expect(match.operation.name).toBe('Detach');
    expect(match.params).toEqual({ UserName: 'ann', PolicyArn: arn });
  });

  it('prefers a literal segment to a member, whatever the order of the table', () => {
    expect(router.match('GET', '/v1/users/me').operation.name).toBe('Caller');
    expect(router.match('GET', '/v1/users/mia').operation.name).toBe('GetUser');
  });

  it('answers InvalidAction for a known path with another method, naming the allowed ones', () => {
    expect(() => router.match('POST', '/v1/users/ann/groups')).toThrow(new IamError('InvalidAction', 'POST is not allowed on /v1/users/ann/groups; use GET.'));
  });

  it('answers NotFound for an unknown path', () => {
    expect(() => router.match('GET', '/v1/nothing/here')).toThrow(new IamError('NotFound', 'No route for GET /v1/nothing/here.'));
  });

  it('refuses a segment that is not valid percent-encoding', () => {
    expect(() => router.match('GET', '/v1/users/%E0%A4%A')).toThrow(IamError);
  });

  it('refuses two operations on the same route', () => {
    expect(() => new RestRouter([op('A', 'GET', '/v1/x/{UserName}'), op('B', 'GET', '/v1/x/{PolicyArn}')])).toThrow(
      'REST route GET /v1/x/{PolicyArn} of B clashes with A.',
    );
  });
});
