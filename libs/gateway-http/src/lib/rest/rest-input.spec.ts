import { IamError } from '@iam/contracts';
import type { RequestInfo } from '../application/request-info';
import { defineOperation, input, required } from '../operations/operation';
import { PageMembers, Shapes, TagKeyList, TagList } from '../operations/shapes';
import { restInput } from './rest-input';

function request(rawQuery = '', body?: unknown, contentType = 'application/json'): RequestInfo {
  const raw = body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { requestId: 'r', method: 'POST', path: '/', rawQuery, headers: {}, body: raw, contentType, sourceIp: '127.0.0.1', secure: false };
}

const list = defineOperation({
  name: 'ListUsers',
  query: true,
  tag: 't',
  summary: 's',
  input: input({ PathPrefix: Shapes.pathPrefix, OnlyAttached: { type: 'boolean' }, ...PageMembers }),
  checks: () => [],
  call: async () => ({}),
  rest: { method: 'GET', path: '/v1/users' },
});

const untag = defineOperation({
  name: 'UntagUser',
  query: true,
  tag: 't',
  summary: 's',
  input: input({ UserName: required(Shapes.existingUserName), TagKeys: required(TagKeyList) }),
  checks: () => [],
  call: async () => ({}),
  rest: { method: 'DELETE', path: '/v1/users/{UserName}/tags', listParams: { keys: 'TagKeys' } },
});

const put = defineOperation({
  name: 'PutUserPolicy',
  query: true,
  tag: 't',
  summary: 's',
  input: input({ UserName: required(Shapes.existingUserName), PolicyDocument: required(Shapes.policyDocument), Tags: TagList }),
  unsupported: ['PermissionsBoundary'],
  checks: () => [],
  call: async () => ({}),
  rest: { method: 'PUT', path: '/v1/users/{UserName}/policies' },
});

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return { code: (error as IamError).code, message: (error as IamError).message };
  }
  throw new Error('expected a failure');
};

describe('restInput', () => {
  it('maps cursor and limit onto Marker and MaxItems and other parameters by their camel-case name', () => {
    expect(restInput(list, {}, request('cursor=abc&limit=5&pathPrefix=%2Feng%2F&onlyAttached=true'))).toEqual({
      Marker: 'abc',
      MaxItems: 5,
      PathPrefix: '/eng/',
      OnlyAttached: true,
    });
  });

  it('checks query values with the shapes, worded as AWS with the REST parameter names', () => {
    expect(failure(() => restInput(list, {}, request('limit=0')))).toEqual({
      code: 'ValidationError',
      message: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
    expect(failure(() => restInput(list, {}, request('limit=many'))).message).toContain('Member must be of type integer');
  });

  it('refuses unknown and repeated query parameters', () => {
    expect(failure(() => restInput(list, {}, request('colour=red')))).toEqual({ code: 'ValidationError', message: "The parameter 'colour' is not recognized by ListUsers." });
    expect(failure(() => restInput(list, {}, request('limit=1&limit=2'))).message).toBe("The query parameter 'limit' appears more than once.");
  });

  it('splits list parameters on commas', () => {
    expect(restInput(untag, { UserName: 'ann' }, request('keys=team,cost-center'))).toEqual({ UserName: 'ann', TagKeys: ['team', 'cost-center'] });
  });

  it('takes a JSON body with AWS member names, path members from the path only', () => {
    const document = '{"Version":"2012-10-17","Statement":[]}';
    expect(restInput(put, { UserName: 'ann' }, request('', { PolicyDocument: document }))).toEqual({ UserName: 'ann', PolicyDocument: document });
    expect(failure(() => restInput(put, { UserName: 'ann' }, request('', { UserName: 'bob', PolicyDocument: document }))).message).toBe(
      "The parameter 'UserName' is not recognized by PutUserPolicy.",
    );
  });

  it('keeps a policy document given as a JSON object as its JSON text', () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'myapp:*', Resource: '*' }] };
    expect(restInput(put, { UserName: 'ann' }, request('', { PolicyDocument: document }))).toEqual({ UserName: 'ann', PolicyDocument: JSON.stringify(document) });
  });

  it('names nested members in errors and refuses unknown nested members', () => {
    expect(failure(() => restInput(put, { UserName: 'ann' }, request('', { PolicyDocument: '{}', Tags: [{ Key: 'a b!', Value: 'x' }] }))).message).toBe(
      "1 validation error detected: Value 'a b!' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
    );
    expect(failure(() => restInput(put, { UserName: 'ann' }, request('', { PolicyDocument: '{}', Tags: [{ Key: 'a', Value: 'x', Colour: 1 }] }))).message).toBe(
      "The parameter 'Tags[0].Colour' is not recognized by PutUserPolicy.",
    );
  });

  it('says which AWS parameters this server does not support', () => {
    expect(failure(() => restInput(put, { UserName: 'ann' }, request('', { PolicyDocument: '{}', PermissionsBoundary: 'arn' })))).toEqual({
      code: 'InvalidInput',
      message: "The parameter 'PermissionsBoundary' of PutUserPolicy is not supported by this server.",
    });
  });

  it('refuses a body that is not a JSON object, or not JSON at all', () => {
    expect(failure(() => restInput(put, { UserName: 'ann' }, request('', '[1]'))).message).toBe('The request body must be a JSON object.');
    expect(failure(() => restInput(put, { UserName: 'ann' }, request('', '{"a":'))).message).toMatch(/^The request body is not valid JSON/);
    expect(failure(() => restInput(put, { UserName: 'ann' }, request('', 'x=1', 'application/x-www-form-urlencoded'))).message).toBe(
      "The request body must be application/json (got 'application/x-www-form-urlencoded').",
    );
  });

  it('refuses a body where the route takes none', () => {
    expect(failure(() => restInput(list, {}, { ...request('', { a: 1 }), method: 'GET' })).message).toBe('GET /v1/users takes no request body.');
  });

  it('names a path member as the route names it', () => {
    expect(failure(() => restInput(put, { UserName: 'a b' }, request('', { PolicyDocument: '{}' }))).message).toContain("at 'UserName' failed");
  });

  it('reports a missing required member as AWS does', () => {
    expect(failure(() => restInput(put, { UserName: 'ann' }, request('', {}))).message).toBe(
      "1 validation error detected: Value null at 'policyDocument' failed to satisfy constraint: Member must not be null",
    );
  });
});
