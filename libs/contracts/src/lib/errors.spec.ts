import { errorDetailsOf, IamError, isWireError, MAX_ERROR_PROBLEMS, type WireError } from './errors';

const problems = [
  { message: 'statement is missing Action or NotAction', path: 'Statement[1]', line: 9, column: 5 },
  { message: 'policy document is missing Statement', path: '' },
];

describe('IamError on the wire', () => {
  it('is {code, message} without details, as it always was', () => {
    const error = new IamError('NoSuchEntity', 'The user with name a cannot be found.');
    expect(error.details).toBeUndefined();
    expect(error.toWire()).toEqual({ code: 'NoSuchEntity', message: 'The user with name a cannot be found.' });
    expect(Object.keys(error.toWire())).toEqual(['code', 'message']);
  });

  it('carries details through JSON (what every transport sends) and back', () => {
    const error = new IamError('MalformedPolicyDocument', 'Policy statement must contain actions.', { problems });
    const wire = JSON.parse(JSON.stringify(error.toWire())) as WireError;
    expect(wire).toEqual({ code: 'MalformedPolicyDocument', message: 'Policy statement must contain actions.', details: { problems } });
    expect(isWireError(wire)).toBe(true);
    const back = IamError.fromWire(wire);
    expect(back).toBeInstanceOf(IamError);
    expect([back.code, back.message, back.details]).toEqual(['MalformedPolicyDocument', 'Policy statement must contain actions.', { problems }]);
  });

  it('reads an error from a peer that sends no details, or details it does not know', () => {
    expect(IamError.fromWire({ code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.' }).details).toBeUndefined();
    const newer = { code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.', details: { hints: ['x'] } };
    expect(isWireError(newer)).toBe(true);
    expect(IamError.fromWire(newer as WireError).details).toBeUndefined();
  });

  it('keeps only well-formed problems, their known members, and at most MAX_ERROR_PROBLEMS', () => {
    expect(
      errorDetailsOf({
        problems: [
          { message: 'a', path: 'Statement', line: 2, column: 3, secret: 'no' },
          { message: 'b' },
          { message: 'c', path: '', line: 0 },
          { message: 'd', path: 'Version', line: 1.5 },
          'e',
          null,
        ],
      }),
    ).toEqual({ problems: [{ message: 'a', path: 'Statement', line: 2, column: 3 }] });
    expect(errorDetailsOf({ problems: [] })).toBeUndefined();
    expect(errorDetailsOf('problems')).toBeUndefined();
    const many = Array.from({ length: MAX_ERROR_PROBLEMS + 5 }, (_, i) => ({ message: `m${i}`, path: `Statement[${i}]` }));
    expect(new IamError('MalformedPolicyDocument', 'Syntax errors in policy.', { problems: many }).details?.problems).toHaveLength(MAX_ERROR_PROBLEMS);
  });
});
