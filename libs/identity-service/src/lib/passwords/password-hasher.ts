import * as argon2 from 'argon2';
import type { Argon2Parameters } from '../identity.options';

/** Hashes and checks passwords; injectable so specs can control the cost. */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  /** False for a wrong password and for a malformed hash; never throws for either. */
  abstract verify(hash: string, password: string): Promise<boolean>;
  /** True when `hash` was made with other parameters than the current ones. */
  abstract needsRehash(hash: string): boolean;
}

/** argon2id (the salt is random per hash and part of the encoded hash). */
export class Argon2PasswordHasher extends PasswordHasher {
  constructor(private readonly parameters: Argon2Parameters) {
    super();
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.parameters });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  needsRehash(hash: string): boolean {
    if (!hash.startsWith('$argon2id$')) return true;
    try {
      return argon2.needsRehash(hash, this.parameters);
    } catch {
      return true;
    }
  }
}
