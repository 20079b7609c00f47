import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SessionEntity } from '../sessions/session.entity';
import { AccountEntity } from './account.entity';

/** The account is one row: id 1, written by the migrations. */
const THE_ACCOUNT = { id: 1 } as const;

/**
 * The account's row (its root user, alias and credential report) and what a change of the root
 * password ends.
 *
 * - Not found: {@link find} answers `null` when the row is missing (the migrations did not run);
 *   {@link clearAlias} answers `false` when the account has not that alias; the use case chooses
 *   the error.
 * - Ordering: one row, none.
 * - Locking: none; each change is one conditional `UPDATE` ({@link claimReport} sets the report's
 *   date only when the last one is older than the given time, so of two callers racing one wins).
 */
@Injectable()
export class AccountStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(): Promise<AccountEntity | null> {
    return this.db.manager.findOneBy(AccountEntity, THE_ACCOUNT);
  }

  /** Stores the root password's hash (`null`: root has no password) in `manager`'s transaction. */
  async setRootPasswordHash(manager: EntityManager, hash: string | null): Promise<void> {
    await manager.update(AccountEntity, THE_ACCOUNT, { rootPasswordHash: hash });
  }

  /**
   * Records the root user's sign-in at `now`, in `manager`'s transaction, and the password's new
   * hash when it was rehashed (unless the password changed since `rehashed.from` was read).
   */
  async recordRootSignIn(manager: EntityManager, now: Date, rehashed?: { from: string; to: string }): Promise<void> {
    await manager.update(AccountEntity, THE_ACCOUNT, { rootPasswordLastUsed: now });
    if (rehashed) await manager.update(AccountEntity, { ...THE_ACCOUNT, rootPasswordHash: rehashed.from }, { rootPasswordHash: rehashed.to });
  }

  /** Ends every console session of the root user, in `manager`'s transaction. */
  async endRootSessions(manager: EntityManager): Promise<void> {
    await manager.delete(SessionEntity, { principalType: 'root' });
  }

  /** Sets the alias, replacing any before. */
  async setAlias(alias: string): Promise<void> {
    await this.db.manager.update(AccountEntity, THE_ACCOUNT, { alias });
  }

  /** Removes the alias if it is `alias`; `false` when it is not. */
  async clearAlias(alias: string): Promise<boolean> {
    const result = await this.db.manager.update(AccountEntity, { ...THE_ACCOUNT, alias }, { alias: null });
    return Boolean(result.affected);
  }

  /** Records a use of the root user's key, unless a later use of that key is recorded already. */
  async recordRootKeyUse(use: { accessKeyId: string; at: Date; service: string; region: string }): Promise<void> {
    await this.db.manager
      .createQueryBuilder()
      .update(AccountEntity)
      .set({ rootKeyId: use.accessKeyId, rootKeyLastUsedDate: use.at, rootKeyLastUsedService: use.service, rootKeyLastUsedRegion: use.region })
      .where('id = :id', THE_ACCOUNT)
      .andWhere('(root_key_id IS DISTINCT FROM :key OR root_key_last_used_date IS NULL OR root_key_last_used_date < :at)', { key: use.accessKeyId, at: use.at })
      .execute();
  }

  /** Marks a credential report generated at `now` unless one was generated after `olderThan`; `true` when marked. */
  async claimReport(now: Date, olderThan: Date): Promise<boolean> {
    const result = await this.db.manager
      .createQueryBuilder()
      .update(AccountEntity)
      .set({ credentialReportGenerated: now })
      .where('id = :id', THE_ACCOUNT)
      .andWhere('(credential_report_generated IS NULL OR credential_report_generated <= :olderThan)', { olderThan })
      .execute();
    return Boolean(result.affected);
  }
}
