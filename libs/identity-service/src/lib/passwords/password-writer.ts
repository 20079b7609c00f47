import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { IdentityErrors } from '../shared/errors';
import { PasswordHasher } from './password-hasher';
import { PasswordHistoryStore } from './password-history.store';
import { PasswordPolicyService } from './password-policy.service';
import { PasswordWork } from './password-work';
import { MAX_REUSE_PREVENTION, passwordProblems, PasswordRules, reuseProblem } from './password-rules';

/**
 * Every new console password goes through here: the policy's rules, the
 * reuse prevention against the user's password history, then argon2id.
 * Hashing happens before, and outside, the transaction that stores it.
 */
@Injectable()
export class PasswordWriter {
  constructor(
    private readonly history: PasswordHistoryStore,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityServiceOptions,
    private readonly policy: PasswordPolicyService,
    private readonly hasher: PasswordHasher,
    private readonly work: PasswordWork,
  ) {}

  /** Checks `password` for `user` and returns its hash, or throws `PasswordPolicyViolation`. */
  async prepare(user: { userId: string; name: string }, password: string, rules?: PasswordRules): Promise<string> {
    const effective = rules ?? (await this.policy.rules());
    const problems = passwordProblems(password, effective, { userName: user.name, accountId: this.options.accountId });
    if (problems.length > 0) throw IdentityErrors.passwordPolicyViolation(problems);
    // The reuse check and the hash are one turn of the password queue.
    return this.work.run(async () => {
      if (effective.reusePrevention && (await this.reused(user.userId, password, effective.reusePrevention))) {
        throw IdentityErrors.passwordPolicyViolation([reuseProblem(effective.reusePrevention)]);
      }
      return this.hasher.hash(password);
    });
  }

  /** Records a password just set, keeping the last {@link MAX_REUSE_PREVENTION}. */
  async remember(manager: EntityManager, userId: string, hash: string, at: Date): Promise<void> {
    await this.history.add(manager, { userId, passwordHash: hash, setAt: at });
    await this.history.keepLatest(manager, userId, MAX_REUSE_PREVENTION);
  }

  private async reused(userId: string, password: string, count: number): Promise<boolean> {
    const previous = await this.history.latest(userId, count);
    for (const entry of previous) {
      if (await this.hasher.verify(entry.passwordHash, password)) return true;
    }
    return false;
  }
}
