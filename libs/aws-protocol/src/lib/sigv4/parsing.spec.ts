import { AwsProtocolError } from '../errors';
import {
  canonicalHeaders,
  canonicalQueryString,
  canonicalUri,
  checkCredentialScope,
  checkRequestTime,
  extractSigV4Auth,
  formatAmzDate,
  parseAmzDate,
  parseAuthorizationHeader,
  parseCredential,
  parseDateHeader,
  parsePresignedQuery,
  type SigV4Request,
} from './index';

const SIG = 'a'.repeat(64);
const CREDENTIAL = 'AKIDEXAMPLE/20261128/us-east-1/iam/aws4_request';

function errorOf(run: () => unknown): AwsProtocolError {
  try {
    run();
  } catch (error) {
    if (error instanceof AwsProtocolError) return error;
    throw error;
  }
  throw new Error('expected an AwsProtocolError');
}

describe('parseAuthorizationHeader', () => {
  it('parses the canonical form', () => {
    expect(parseAuthorizationHeader(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=${SIG}`)).toEqual({
      credential: {
        accessKeyId: 'AKIDEXAMPLE',
        scope: { date: '20261128', region: 'us-east-1', service: 'iam' },
        terminator: 'aws4_request',
      },
      signedHeaders: ['host', 'x-amz-date'],
      signature: SIG,
    });
  });

  it.each([
    ['no spaces after commas', `AWS4-HMAC-SHA256 Credential=${CREDENTIAL},SignedHeaders=host,Signature=${SIG}`],
    ['extra spaces and tabs', `  AWS4-HMAC-SHA256 \t Credential = ${CREDENTIAL} ,  SignedHeaders=host ,Signature=${SIG}  `],
    ['reordered parameters', `AWS4-HMAC-SHA256 Signature=${SIG}, SignedHeaders=host, Credential=${CREDENTIAL}`],
    ['empty items and unknown keys', `AWS4-HMAC-SHA256 Credential=${CREDENTIAL},, Foo=bar, SignedHeaders=host, Signature=${SIG},`],
    ['a repeated key keeps the last value', `AWS4-HMAC-SHA256 Credential=x, Credential=${CREDENTIAL}, SignedHeaders=host, Signature=${SIG}`],
    ['upper-case, unsorted signed headers', `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=X-Amz-Date;Host, Signature=${SIG}`],
  ])('tolerates %s', (_name, header) => {
    const parsed = parseAuthorizationHeader(header);
    expect(parsed.credential.accessKeyId).toBe('AKIDEXAMPLE');
    expect(parsed.signature).toBe(SIG);
    expect(parsed.signedHeaders[0]).toBe('host');
  });

  it('lists every missing parameter in AWS wording', () => {
    const error = errorOf(() => parseAuthorizationHeader(`AWS4-HMAC-SHA256 SignedHeaders=host`));
    expect(error.code).toBe('IncompleteSignature');
    expect(error.message).toBe(
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        'Authorization=AWS4-HMAC-SHA256',
    );
  });

  it('rejects another algorithm', () => {
    const error = errorOf(() => parseAuthorizationHeader('AWS AKID:signature'));
    expect(error.code).toBe('IncompleteSignature');
    expect(error.message).toBe("Unsupported AWS 'algorithm': 'AWS'.");
  });

  it('rejects an item without an equal sign', () => {
    const error = errorOf(() => parseAuthorizationHeader(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeadershost, Signature=${SIG}`));
    expect(error.code).toBe('IncompleteSignature');
    expect(error.message).toMatch(/^'SignedHeadershost' not a valid key=value pair \(missing equal-sign\) in Authorization header/);
  });

  it('rejects empty signed header names', () => {
    expect(errorOf(() => parseAuthorizationHeader(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;;a, Signature=${SIG}`)).code).toBe(
      'IncompleteSignature',
    );
  });

  it('rejects a signature that cannot be hex SHA-256', () => {
    for (const signature of ['', 'abc', SIG.toUpperCase(), 'g'.repeat(64)]) {
      const error = errorOf(() => parseAuthorizationHeader(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host, Signature=${signature}`));
      expect(error.code).toBe('SignatureDoesNotMatch');
    }
  });
});

describe('parseCredential', () => {
  it.each(['AKID/20261128/us-east-1/iam', 'AKID/20261128/us-east-1/iam/aws4_request/x', '/20261128/us-east-1/iam/aws4_request', ''])(
    'rejects %p',
    (value) => {
      const error = errorOf(() => parseCredential(value));
      expect(error.code).toBe('IncompleteSignature');
      expect(error.message).toBe(
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${value}'`,
      );
    },
  );
});

describe('parsePresignedQuery', () => {
  const base = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': encodeURIComponent(CREDENTIAL),
    'X-Amz-Date': '20261128T010203Z',
    'X-Amz-Expires': '900',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': SIG,
  };
  const query = (params: Record<string, string>) =>
    Object.entries(params)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');

  it('parses all parameters', () => {
    expect(parsePresignedQuery(query({ Action: 'GetUser', ...base, 'X-Amz-Security-Token': 'a%2Bb' }))).toEqual({
      credential: parseCredential(CREDENTIAL),
      signedHeaders: ['host'],
      signature: SIG,
      amzDate: '20261128T010203Z',
      expiresSeconds: 900,
      securityToken: 'a+b',
    });
  });

  it('is MissingAuthenticationToken for another algorithm', () => {
    expect(errorOf(() => parsePresignedQuery(query({ ...base, 'X-Amz-Algorithm': 'AWS4-ECDSA-P256-SHA256' }))).code).toBe(
      'MissingAuthenticationToken',
    );
  });

  it('lists missing parameters in AWS wording', () => {
    const { 'X-Amz-Credential': _c, 'X-Amz-Date': _d, ...rest } = base;
    void _c;
    void _d;
    const error = errorOf(() => parsePresignedQuery(query(rest)));
    expect(error.code).toBe('IncompleteSignature');
    expect(error.message).toBe(
      "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Date'. " +
        'Re-examine the query-string parameters.',
    );
  });

  it.each(['0', '604801', '-1', '1.5', 'abc', ''])('rejects X-Amz-Expires=%p', (expires) => {
    const error = errorOf(() => parsePresignedQuery(query({ ...base, 'X-Amz-Expires': expires })));
    expect(error.code).toBe('IncompleteSignature');
    expect(error.message).toMatch(/^X-Amz-Expires must be a whole number of seconds from 1 to 604800/);
  });

  it('accepts the bounds of X-Amz-Expires and its absence', () => {
    expect(parsePresignedQuery(query({ ...base, 'X-Amz-Expires': '1' })).expiresSeconds).toBe(1);
    expect(parsePresignedQuery(query({ ...base, 'X-Amz-Expires': '604800' })).expiresSeconds).toBe(604800);
    const { 'X-Amz-Expires': _e, ...rest } = base;
    void _e;
    expect(parsePresignedQuery(query(rest)).expiresSeconds).toBeUndefined();
  });

  it('rejects a repeated SigV4 parameter', () => {
    expect(errorOf(() => parsePresignedQuery(`${query(base)}&X-Amz-Date=20261128T010203Z`)).code).toBe('IncompleteSignature');
  });

  it('rejects a malformed percent escape', () => {
    const error = errorOf(() => parsePresignedQuery(`${query(base)}&x%zz=1`));
    expect(error.code).toBe('InvalidQueryParameter');
    expect(error.message).toBe('Illegal hex character in escape % pattern: %zz');
  });
});

describe('extractSigV4Auth', () => {
  const request = (headers: SigV4Request['headers'], rawQuery = ''): SigV4Request => ({
    method: 'POST',
    path: '/',
    rawQuery,
    headers: { host: 'iam.amazonaws.com', ...headers },
    body: '',
  });
  const authorization = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=${SIG}`;

  it('is MissingAuthenticationToken without any authentication', () => {
    const error = errorOf(() => extractSigV4Auth(request({})));
    expect(error.code).toBe('MissingAuthenticationToken');
    expect(error.message).toBe('Request is missing Authentication Token');
    expect(errorOf(() => extractSigV4Auth(request({}, 'X-Amz-Credential=x'))).code).toBe('MissingAuthenticationToken');
  });

  it('combines missing parameters and the missing date in one message', () => {
    const error = errorOf(() => extractSigV4Auth(request({ authorization: 'AWS4-HMAC-SHA256 Credential=x' })));
    expect(error.code).toBe('IncompleteSignature');
    expect(error.message).toBe(
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
    );
  });

  it('uses X-Amz-Date, else the Date header', () => {
    expect(extractSigV4Auth(request({ authorization, 'x-amz-date': '20261128T010203Z', date: 'junk' })).amzDate).toBe('20261128T010203Z');
    const auth = extractSigV4Auth(request({ authorization, date: 'Sat, 28 Nov 2026 01:02:03 GMT' }));
    expect(auth.amzDate).toBe('20261128T010203Z');
    expect(auth.requestTime.toISOString()).toBe('2026-11-28T01:02:03.000Z');
  });

  it('rejects a malformed X-Amz-Date with AWS wording', () => {
    const error = errorOf(() => extractSigV4Auth(request({ authorization, 'x-amz-date': '2026-11-28T01:02:03Z' })));
    expect(error.code).toBe('IncompleteSignature');
    expect(error.message).toBe(
      "Date must be in ISO-8601 'basic format'. Got '2026-11-28T01:02:03Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  });

  it('rejects several Authorization headers', () => {
    expect(errorOf(() => extractSigV4Auth(request({ authorization: [authorization, authorization], 'x-amz-date': '20261128T010203Z' }))).code).toBe(
      'IncompleteSignature',
    );
  });
});

describe('checkCredentialScope', () => {
  it('reports every scope problem together, as AWS does', () => {
    const error = errorOf(() =>
      checkCredentialScope(parseCredential('AKID/20130101/wrong-region/s3/aws5_request'), '20150830T123600Z', {
        regions: ['us-east-1'],
      }),
    );
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.message).toBe(
      "Credential should be scoped to a valid region, not 'wrong-region'. Credential should be scoped to correct service: 'iam'. " +
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20130101' != '20150830', from '20150830T123600Z'.",
    );
  });

  it('accepts a good scope in any region by default', () => {
    expect(() => checkCredentialScope(parseCredential('AKID/20150830/ap-south-2/iam/aws4_request'), '20150830T123600Z')).not.toThrow();
  });
});

describe('dates', () => {
  it('parses and formats ISO 8601 basic format', () => {
    expect(parseAmzDate('20261128T010203Z').toISOString()).toBe('2026-11-28T01:02:03.000Z');
    expect(formatAmzDate(new Date('2026-11-28T01:02:03.456Z'))).toBe('20261128T010203Z');
  });

  it.each(['20261128T010203', '20261131T010203Z', '20261128T250000Z', '2026112T010203Z', ' 20261128T010203Z'])(
    'rejects %p',
    (text) => {
      expect(errorOf(() => parseAmzDate(text)).code).toBe('IncompleteSignature');
    },
  );

  it('parses an HTTP date header', () => {
    expect(parseDateHeader('Sat, 28 Nov 2026 01:02:03 GMT').toISOString()).toBe('2026-11-28T01:02:03.000Z');
    expect(errorOf(() => parseDateHeader('Saturday, 28-Nov-26 01:02:03 GMT')).code).toBe('IncompleteSignature');
  });

  it('checks clock skew with a configurable window', () => {
    const requestTime = new Date('2026-11-28T01:00:00Z');
    const now = new Date('2026-11-28T01:05:01Z');
    expect(() => checkRequestTime({ requestTime, authType: 'header' }, now)).not.toThrow();
    const error = errorOf(() => checkRequestTime({ requestTime, authType: 'header' }, now, { maxClockSkewMs: 300_000 }));
    expect(error.code).toBe('RequestExpired');
    expect(error.message).toBe('Signature expired: 20261128T010000Z is now earlier than 20261128T010001Z (20261128T010501Z - 5 min.)');
  });

  it('lets presigned requests without X-Amz-Expires live 15 minutes', () => {
    const requestTime = new Date('2026-11-28T01:00:00Z');
    expect(errorOf(() => checkRequestTime({ requestTime, authType: 'presigned' }, new Date('2026-11-28T01:15:01Z'))).code).toBe(
      'RequestExpired',
    );
  });
});

describe('canonical pieces', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['/example1/example2/../..', '/'],
    ['//example//', '/example/'],
    ['/./example', '/example'],
    ['/a/b/../c/./d/', '/a/c/d/'],
    ['/-._~0123456789AZaz', '/-._~0123456789AZaz'],
    ['/a%20b', '/a%2520b'],
    ['/ሴ', '/%E1%88%B4'],
    ['/a+b=c', '/a%2Bb%3Dc'],
  ])('canonicalUri(%p) = %p', (path, expected) => {
    expect(canonicalUri(path)).toBe(expected);
  });

  it.each([
    ['', ''],
    ['b=2&a=1', 'a=1&b=2'],
    ['Param1=value2&Param1=Value1', 'Param1=Value1&Param1=value2'],
    ['a=1&A=2&b', 'A=2&a=1&b='],
    ['a=x+y&s=x%20y&t=x%2by', 'a=x%2By&s=x%20y&t=x%2By'],
    ['%E1%88%B4=bar&k=%7e', '%E1%88%B4=bar&k=~'],
    ['x=a=b&&y=', 'x=a%3Db&y='],
    ['X-Amz-Signature=abc&a=1', 'X-Amz-Signature=abc&a=1'],
  ])('canonicalQueryString(%p) = %p', (raw, expected) => {
    expect(canonicalQueryString(raw)).toBe(expected);
  });

  it('leaves X-Amz-Signature out for presigned requests', () => {
    expect(canonicalQueryString('X-Amz-Signature=abc&a=1', { excludeSignature: true })).toBe('a=1');
  });

  it('rejects malformed escapes', () => {
    expect(errorOf(() => canonicalQueryString('a=%4')).message).toBe('Incomplete trailing escape % sequence');
    expect(errorOf(() => canonicalQueryString('a=%G1')).code).toBe('InvalidQueryParameter');
  });

  it('builds canonical headers', () => {
    expect(
      canonicalHeaders(
        { host: 'example.amazonaws.com', 'my-header1': ['value4', 'value1', ' value3  '], 'my-header2': '"a   b   c"' },
        ['host', 'my-header1', 'my-header2', 'missing'],
      ),
    ).toBe('host:example.amazonaws.com\nmy-header1:value4,value1,value3\nmy-header2:"a b c"\nmissing:\n');
  });
});
