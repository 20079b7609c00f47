import { PASSWORD_SYMBOLS, type PasswordPolicy } from './password-rules';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';

/** A uniformly random index below `n`, from the platform's cryptographic generator. */
function randomIndex(n: number, random: (buffer: Uint32Array<ArrayBuffer>) => Uint32Array): number {
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  const buffer = new Uint32Array(1);
  for (;;) {
    const value = random(buffer)[0];
    if (value < limit) return value % n;
  }
}

/**
 * A password that meets `policy` (or AWS's default rules): at least 20 characters, with every
 * kind of character (so it meets any combination of rules), as the AWS console generates one.
 */
export function generatePassword(
  policy: PasswordPolicy | undefined,
  random: (buffer: Uint32Array<ArrayBuffer>) => Uint32Array = (buffer) => crypto.getRandomValues(buffer),
): string {
  const length = Math.max(20, policy?.MinimumPasswordLength ?? 0);
  const sets = [UPPER, LOWER, DIGITS, PASSWORD_SYMBOLS];
  const all = sets.join('');
  const chars = sets.map((set) => set[randomIndex(set.length, random)]);
  while (chars.length < length) chars.push(all[randomIndex(all.length, random)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1, random);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
