import { queryResponse } from '@iam/aws-protocol';
import { urlEncodeDocument } from '../operations/authorization/documents';
import { OPERATIONS } from '../operations';
import type { AnyOperation } from '../operations/operation';
import { withTimestamps, xmlResult } from './query.controller';

const op = (name: string) => OPERATIONS.find((o) => o.name === name) as AnyOperation;

describe('Query API replies', () => {
  it('writes the timestamps the output shape declares in whole seconds, whatever precision the service kept', () => {
    const result = xmlResult(op('GetUser'), { User: { UserName: 'ann', CreateDate: '2026-11-28T01:02:03.456Z', Path: '/' } });
    expect(queryResponse('GetUser', result, 'r')).toContain('<CreateDate>2026-11-28T01:02:03Z</CreateDate>');
    expect(withTimestamps({ type: 'structure', members: { Name: { type: 'string' } } }, { Name: '2026-11-28T01:02:03.456Z' })).toEqual({
      Name: '2026-11-28T01:02:03.456Z',
    });
  });

  it('URL-encodes policy documents as AWS does (RFC 3986)', () => {
    expect(urlEncodeDocument(`{"Sid":"it's (x)!*"}`)).toBe('%7B%22Sid%22%3A%22it%27s%20%28x%29%21%2A%22%7D');
    const result = xmlResult(op('GetUserPolicy'), { UserName: 'ann', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17"}' });
    expect(result).toEqual({ UserName: 'ann', PolicyName: 'p', PolicyDocument: '%7B%22Version%22%3A%222012-10-17%22%7D' });
  });

  it('writes no result element for an empty reply, and never the REST cursor', () => {
    expect(xmlResult(op('DeleteUser'), {})).toBeUndefined();
    expect(xmlResult(op('ListUsers'), { Users: [], IsTruncated: true, Marker: 'm', nextCursor: 'm' })).toEqual({ Users: [], IsTruncated: true, Marker: 'm' });
  });

  it('writes SummaryMap as an XML map', () => {
    const xml = queryResponse('GetAccountSummary', xmlResult(op('GetAccountSummary'), { SummaryMap: { Users: 2 } }), 'r');
    expect(xml).toContain('<SummaryMap><entry><key>Users</key><value>2</value></entry></SummaryMap>');
  });
});
