import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PasswordPolicyEntity } from './password-policy.entity';

/** The account has at most one password policy: the row with id 1. */
const ACCOUNT_POLICY = { id: 1 } as const;

/**
 * The account password policy.
 *
 * - Not found: {@link find} answers `null` and {@link delete} `false` while none is set; the
 *   use case chooses between AWS's error and AWS's default rules.
 * - Locking: none; {@link put} replaces the whole row in one statement (an upsert), so the last
 *   writer wins whole, never field by field.
 */
@Injectable()
export class PasswordPolicyStore {
  constructor(@InjectRepository(PasswordPolicyEntity) private readonly policies: Repository<PasswordPolicyEntity>) {}

  async find(): Promise<PasswordPolicyEntity | null> {
    return this.policies.findOneBy(ACCOUNT_POLICY);
  }

  /** Sets the policy, replacing the one set before. */
  async put(policy: Omit<PasswordPolicyEntity, 'id'>): Promise<void> {
    await this.policies.upsert({ ...policy, ...ACCOUNT_POLICY }, ['id']);
  }

  /** Removes the policy; `false` when none was set. */
  async delete(): Promise<boolean> {
    const result = await this.policies.delete(ACCOUNT_POLICY);
    return Boolean(result.affected);
  }
}
