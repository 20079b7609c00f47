import { XMLParser } from 'fast-xml-parser';
import { escapeXmlText, formatXmlTimestamp, IAM_XML_NAMESPACE, queryErrorResponse, queryResponse } from './index';

describe('queryResponse', () => {
  it('wraps the result and the request id in the IAM namespace', () => {
    expect(
      queryResponse(
        'CreateUser',
        {
          User: {
            Path: '/',
            UserName: 'alice',
            UserId: 'AIDAEXAMPLE',
            Arn: 'arn:aws:iam::123456789012:user/alice',
            CreateDate: new Date('2026-11-28T01:02:03.789Z'),
          },
        },
        'req-1',
      ),
    ).toBe(
      '<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult><User>' +
        '<Path>/</Path><UserName>alice</UserName><UserId>AIDAEXAMPLE</UserId>' +
        '<Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2026-11-28T01:02:03Z</CreateDate>' +
        '</User></CreateUserResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateUserResponse>',
    );
  });

  it('has only ResponseMetadata when the action has no result', () => {
    expect(queryResponse('DeleteUser', undefined, 'req-2')).toBe(
      `<DeleteUserResponse xmlns="${IAM_XML_NAMESPACE}"><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></DeleteUserResponse>`,
    );
  });

  it('writes lists as member elements, maps as entries, booleans and numbers as text', () => {
    expect(
      queryResponse(
        'Test',
        {
          Users: [{ UserName: 'a' }, { UserName: 'b' }],
          Names: ['x', 'y'],
          Empty: [],
          Summary: new Map<string, number>([
            ['Users', 2],
            ['UsersQuota', 5000],
          ]),
          IsTruncated: false,
          Flag: true,
          Skipped: undefined,
          AlsoSkipped: null,
        },
        'r',
      ),
    ).toBe(
      `<TestResponse xmlns="${IAM_XML_NAMESPACE}"><TestResult>` +
        '<Users><member><UserName>a</UserName></member><member><UserName>b</UserName></member></Users>' +
        '<Names><member>x</member><member>y</member></Names><Empty/>' +
        '<Summary><entry><key>Users</key><value>2</value></entry><entry><key>UsersQuota</key><value>5000</value></entry></Summary>' +
        '<IsTruncated>false</IsTruncated><Flag>true</Flag>' +
        '</TestResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></TestResponse>',
    );
  });

  it('escapes text so that a parser reads back exactly what was written', () => {
    const nasty = `<tag> & "quotes" 'single' ]]> \r\n\ttab ✓ 𝄞`;
    const xml = queryResponse('GetUser', { User: { UserName: nasty } }, 'id&<>');
    expect(xml).not.toContain('<tag>');
    const parsed = new XMLParser({ processEntities: true, htmlEntities: true, trimValues: false }).parse(xml);
    expect(parsed.GetUserResponse.GetUserResult.User.UserName).toBe(nasty);
    expect(parsed.GetUserResponse.ResponseMetadata.RequestId).toBe('id&<>');
  });

  it('refuses names that are not XML names (a programming error)', () => {
    expect(() => queryResponse('Get User', undefined, 'r')).toThrow(TypeError);
    expect(() => queryResponse('GetUser', { '@_xmlns': 'x' }, 'r')).toThrow(TypeError);
    expect(() => queryResponse('GetUser', { '#text': 'x' }, 'r')).toThrow(TypeError);
    expect(() => queryResponse('GetUser', { Count: Number.NaN }, 'r')).toThrow(TypeError);
  });
});

describe('queryErrorResponse', () => {
  it('writes the error envelope', () => {
    expect(
      queryErrorResponse({ type: 'Sender', code: 'NoSuchEntity', message: 'The user with name bob cannot be found.' }, 'req-3'),
    ).toBe(
      `<ErrorResponse xmlns="${IAM_XML_NAMESPACE}"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>` +
        '<Message>The user with name bob cannot be found.</Message></Error><RequestId>req-3</RequestId></ErrorResponse>',
    );
  });

  it('escapes the message', () => {
    expect(queryErrorResponse({ type: 'Receiver', code: 'ServiceFailure', message: 'a < b & c' }, 'r')).toContain(
      '<Message>a &lt; b &amp; c</Message>',
    );
  });
});

describe('helpers', () => {
  it('replaces characters XML cannot carry', () => {
    expect(escapeXmlText('a\u0000b\u0008c\uFFFEd\uD800e')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
  });

  it('formats timestamps in whole seconds, UTC', () => {
    expect(formatXmlTimestamp(new Date('2026-11-28T01:02:03.999+02:00'))).toBe('2026-11-27T23:02:03Z');
    expect(() => formatXmlTimestamp(new Date('nope'))).toThrow(TypeError);
  });
});
