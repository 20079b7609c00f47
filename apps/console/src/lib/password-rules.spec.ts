import { generatePassword } from './generate-password';
import { meetsRules, passwordRules, policyNotes, type PasswordPolicy } from './password-rules';

const policy: PasswordPolicy = {
  MinimumPasswordLength: 12,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  PasswordReusePrevention: 5,
  MaxPasswordAge: 90,
};

const met = (password: string, p?: PasswordPolicy, context = {}) => Object.fromEntries(passwordRules(password, p, context).map((r) => [r.id, r.met]));

describe('password rules as the user types', () => {
  it("lists each rule of the account's policy, met or not", () => {
    expect(met('', policy)).toEqual({ length: false, uppercase: false, lowercase: false, number: false, symbol: false });
    expect(met('abc', policy)).toEqual({ length: false, uppercase: false, lowercase: true, number: false, symbol: false });
    expect(met('Abcdefghijk1', policy)).toEqual({ length: true, uppercase: true, lowercase: true, number: true, symbol: false });
    expect(met('Abcdefghijk1!', policy)).toEqual({ length: true, uppercase: true, lowercase: true, number: true, symbol: true });
    expect(meetsRules(passwordRules('Abcdefghijk1!', policy))).toBe(true);
  });

  it('lists only the rules the policy sets', () => {
    const lengthOnly = { ...policy, RequireSymbols: false, RequireNumbers: false, RequireUppercaseCharacters: false, RequireLowercaseCharacters: false, MinimumPasswordLength: 6 };
    expect(passwordRules('abcdef', lengthOnly).map((r) => r.id)).toEqual(['length']);
    expect(meetsRules(passwordRules('abcdef', lengthOnly))).toBe(true);
  });

  it("counts symbols as AWS does (only AWS's symbol set) and characters, not UTF-16 units", () => {
    expect(met('Abcdefghijk1~', policy).symbol).toBe(false);
    expect(met("Abcdefghijk1'", policy).symbol).toBe(true);
    expect(met('😀😀😀😀😀😀😀😀😀😀😀', policy).length).toBe(false);
  });

  it("applies AWS's default rules without a policy: 8 characters, three kinds, not the user name or the account id", () => {
    expect(met('short1A')).toEqual({ length: false, kinds: true, identity: true });
    expect(met('alllowercase')).toEqual({ length: true, kinds: false, identity: true });
    expect(met('lower-and-1')).toEqual({ length: true, kinds: true, identity: true });
    expect(met('Alice-Passw', undefined, { userName: 'alice-passw' }).identity).toBe(false);
    expect(met('123456789012', undefined, { accountId: '123456789012' }).identity).toBe(false);
  });

  it('tells reuse and expiry apart', () => {
    expect(policyNotes(policy)).toEqual(['It must differ from your 5 previous passwords.', 'It expires after 90 days.']);
    expect(policyNotes(undefined)).toEqual([]);
  });
});

describe('generated passwords', () => {
  it('meet any policy and the default rules, and differ', () => {
    const long = { ...policy, MinimumPasswordLength: 40 };
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generatePassword(i % 2 ? long : policy);
      seen.add(password);
      expect(meetsRules(passwordRules(password, i % 2 ? long : policy))).toBe(true);
      expect(meetsRules(passwordRules(password, undefined, { userName: 'x', accountId: '000000000000' }))).toBe(true);
      expect(password.length).toBe(i % 2 ? 40 : 20);
    }
    expect(seen.size).toBe(200);
  });

  it('draws from the cryptographic generator it is given', () => {
    let calls = 0;
    const fixed = (buffer: Uint32Array<ArrayBuffer>) => {
      calls++;
      buffer[0] = 7;
      return buffer;
    };
    expect(generatePassword(undefined, fixed)).toBe(generatePassword(undefined, fixed));
    expect(calls).toBeGreaterThan(20);
  });
});
