import {
  deriveSigningKey,
  prepareSigV4Verification,
  sha256Hex,
  signaturesEqual,
  signStringToSign,
  type SigV4Request,
} from './index';

// The worked example of AWS's "Signature Version 4 signing process" documentation: an IAM
// ListUsers call signed on 2015-08-30 with the documentation's example key.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const request: SigV4Request = {
  method: 'GET',
  path: '/',
  rawQuery: 'Action=ListUsers&Version=2010-05-08',
  headers: {
    host: 'iam.amazonaws.com',
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'x-amz-date': '20150830T123600Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
      'SignedHeaders=content-type;host;x-amz-date, ' +
      'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
  },
  body: '',
};

describe("AWS documentation's IAM example", () => {
  const prepared = prepareSigV4Verification(request, { now: new Date('2015-08-30T12:40:00Z') });

  it('builds the documented canonical request', () => {
    expect(prepared.canonicalRequest).toBe(
      [
        'GET',
        '/',
        'Action=ListUsers&Version=2010-05-08',
        'content-type:application/x-www-form-urlencoded; charset=utf-8',
        'host:iam.amazonaws.com',
        'x-amz-date:20150830T123600Z',
        '',
        'content-type;host;x-amz-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(sha256Hex(prepared.canonicalRequest)).toBe('f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
  });

  it('builds the documented string to sign', () => {
    expect(prepared.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n' +
        'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
    );
  });

  it('derives the documented signing key and signature', () => {
    const key = deriveSigningKey(SECRET, '20150830', 'us-east-1', 'iam');
    expect(key.toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
    const signature = signStringToSign(key, prepared.stringToSign);
    expect(signature).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
    expect(signaturesEqual(signature, prepared.signature)).toBe(true);
  });
});

describe('signaturesEqual', () => {
  it('compares equal, different and differently sized strings', () => {
    expect(signaturesEqual('abc', 'abc')).toBe(true);
    expect(signaturesEqual('abc', 'abd')).toBe(false);
    expect(signaturesEqual('abc', 'abcd')).toBe(false);
    expect(signaturesEqual('', '')).toBe(true);
  });
});
