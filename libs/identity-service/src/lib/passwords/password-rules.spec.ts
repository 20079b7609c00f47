import { AWS_DEFAULT_RULES, passwordExpired, passwordProblems, PasswordRules, rulesFromPolicy } from './password-rules';

const context = { userName: 'Alice', accountId: '123456789012' };

describe('AWS default password rules (no policy set)', () => {
  it.each([
    ['Abcdef1!', []],
    ['abcdef1!', []],
    ['ABCDEFG1', ['Password should meet 1 more of the following requirements: Password should have at least one lowercase letter, Password should have at least one symbol']],
    [
      'abcdefgh',
      [
        'Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol',
      ],
    ],
    ['Ab1!', ['Password should have a minimum length of 8']],
  ])('%s → %j', (password, problems) => {
    expect(passwordProblems(password, AWS_DEFAULT_RULES, context)).toEqual(problems);
  });

  it('refuses the account id and the user name, regardless of case', () => {
    expect(passwordProblems('aLICE', { ...AWS_DEFAULT_RULES, minimumLength: 1 }, context)).toContain(
      'Password should not be identical to the account ID or the user name',
    );
    expect(passwordProblems('123456789012', { ...AWS_DEFAULT_RULES, minimumLength: 1 }, context)).toContain(
      'Password should not be identical to the account ID or the user name',
    );
  });

  it("counts AWS's symbols only", () => {
    for (const symbol of "!@#$%^&*()_+-=[]{}|'") expect(passwordProblems(`Abcdefg${symbol}`, AWS_DEFAULT_RULES, context)).toEqual([]);
    expect(passwordProblems('Abcdefg~', AWS_DEFAULT_RULES, context)).toHaveLength(1);
  });
});

describe('a custom password policy', () => {
  const strict: PasswordRules = rulesFromPolicy({
    MinimumPasswordLength: 12,
    RequireSymbols: true,
    RequireNumbers: true,
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: true,
    AllowUsersToChangePassword: true,
    ExpirePasswords: true,
    MaxPasswordAge: 90,
    PasswordReusePrevention: 3,
    HardExpiry: false,
  });

  it('names every rule broken', () => {
    expect(passwordProblems('short', strict, context)).toEqual([
      'Password should have a minimum length of 12',
      'Password should have at least one uppercase letter',
      'Password should have at least one number',
      'Password should have at least one symbol',
    ]);
    expect(passwordProblems('ABCDEFGHIJK1!', strict, context)).toEqual(['Password should have at least one lowercase letter']);
    expect(passwordProblems('Abcdefghij1!', strict, context)).toEqual([]);
  });

  it('applies only the rules it sets (a lenient policy allows what the defaults refuse)', () => {
    const lenient = rulesFromPolicy({
      MinimumPasswordLength: 6,
      RequireSymbols: false,
      RequireNumbers: false,
      RequireUppercaseCharacters: false,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: false,
      ExpirePasswords: false,
    });
    expect(lenient.hardExpiry).toBe(false);
    expect(passwordProblems('abcdef', lenient, context)).toEqual([]);
    expect(passwordProblems('alice', lenient, context)).toEqual(['Password should have a minimum length of 6']);
  });

  it('expires passwords MaxPasswordAge days after they were set', () => {
    const set = new Date('2026-01-01T00:00:00Z');
    expect(passwordExpired(set, strict, new Date('2026-03-31T23:59:59Z'))).toBe(false);
    expect(passwordExpired(set, strict, new Date('2026-04-01T00:00:00Z'))).toBe(true);
    expect(passwordExpired(set, AWS_DEFAULT_RULES, new Date('2036-01-01T00:00:00Z'))).toBe(false);
  });
});
