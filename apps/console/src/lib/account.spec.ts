import { accountFromLink, accountLabel, signInLink } from './account';

describe('the account as the console names it', () => {
  it('is the alias when one is set, else the account id', () => {
    expect(accountLabel('000000000000', ['example-corp'])).toBe('example-corp');
    expect(accountLabel('000000000000', [])).toBe('000000000000');
    expect(accountLabel('000000000000', undefined)).toBe('000000000000');
  });

  it("gives a sign-in link carrying the alias or id, at the console's address", () => {
    expect(signInLink('http://localhost:8080/console/', 'example-corp')).toBe('http://localhost:8080/console/?account=example-corp');
    expect(signInLink('https://iam.example.org/console/?account=old#/users', '123456789012')).toBe('https://iam.example.org/console/?account=123456789012');
  });

  it('reads the account back from a sign-in link, an alias or a 12-digit id only', () => {
    expect(accountFromLink(new URL(signInLink('http://localhost:8080/console/', 'example-corp')).search)).toBe('example-corp');
    expect(accountFromLink('?account=123456789012')).toBe('123456789012');
    expect(accountFromLink('')).toBeUndefined();
    expect(accountFromLink('?account=')).toBeUndefined();
    for (const made of ['Example', 'a--b', '-ab', 'ab', 'x'.repeat(64), 'pay%20here%20now', '<b>x</b>']) {
      expect(accountFromLink(`?account=${made}`)).toBeUndefined();
    }
  });
});
