import { accessKeyCsv, credentialsCsv, parseCsv, toCsv } from './csv';

describe('CSV files like the AWS console offers', () => {
  it("writes a new access key as AWS's <user>_accessKeys.csv", () => {
    expect(accessKeyCsv({ UserName: 'dave', AccessKeyId: 'AKIAEXAMPLE', SecretAccessKey: 'abc/def+ghi' })).toEqual({
      fileName: 'dave_accessKeys.csv',
      text: 'Access key ID,Secret access key\r\nAKIAEXAMPLE,abc/def+ghi\r\n',
    });
  });

  it('writes a console password with the sign-in URL', () => {
    expect(credentialsCsv({ UserName: 'admin', Password: 'p,"q', ConsoleUrl: 'http://localhost:8080/console/' }).text).toBe(
      'User name,Password,Console sign-in URL\r\nadmin,"p,""q",http://localhost:8080/console/\r\n',
    );
  });

  it('reads back what it writes, quotes and line breaks included', () => {
    const rows = [
      ['a', 'b,c', 'd"e'],
      ['line\nbreak', '', 'x'],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
    expect(parseCsv('h1,h2\nv1,v2')).toEqual([
      ['h1', 'h2'],
      ['v1', 'v2'],
    ]);
  });
});
