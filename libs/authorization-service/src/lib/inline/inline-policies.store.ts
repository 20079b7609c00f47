import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { InlinePolicyEntity } from './inline-policy.entity';

/**
 * Inline policies, keyed by principal id and lower-cased name.
 *
 * - Not found: reads answer `null`/`false`/empty; the use case chooses the error.
 * - Ordering: a principal's policies by lower-cased name in byte order (`COLLATE "C"`), the
 *   order the `Marker` of its listing follows.
 * - Locking: none of its own; writes that must respect the aggregate size run inside the
 *   caller's transaction under the principal's lock (`PrincipalTombstonesStore.lock`).
 */
@Injectable()
export class InlinePoliciesStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The size of the principal's inline policies other than the one named `nameLower`. */
  async sizeOfOthers(manager: EntityManager, principalId: string, nameLower: string): Promise<number> {
    const found = await manager
      .createQueryBuilder(InlinePolicyEntity, 'i')
      .select('coalesce(sum(i.size), 0)::int', 'others')
      .where('i.principal_id = :principalId AND i.name_lower <> :nameLower', { principalId, nameLower })
      .getRawOne<{ others: number }>();
    return found?.others ?? 0;
  }

  /** Creates the policy or replaces the one of that name regardless of case (its creation date stays). */
  async put(manager: EntityManager, policy: Omit<InlinePolicyEntity, 'updateDate'>): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(InlinePolicyEntity)
      .values({ ...policy, updateDate: policy.createDate })
      .orUpdate(['name', 'document', 'content_hash', 'size', 'update_date'], ['principal_id', 'name_lower'])
      .execute();
  }

  async find(principalId: string, nameLower: string): Promise<InlinePolicyEntity | null> {
    return this.db.manager.findOneBy(InlinePolicyEntity, { principalId, nameLower });
  }

  /** Deletes the policy; `false` when there was none. */
  async delete(principalId: string, nameLower: string): Promise<boolean> {
    const result = await this.db.manager.delete(InlinePolicyEntity, { principalId, nameLower });
    return (result.affected ?? 0) > 0;
  }

  /** Up to `limit` of the principal's policies whose lower-cased name comes after `after`. */
  async page(principalId: string, after: string | undefined, limit: number): Promise<InlinePolicyEntity[]> {
    return this.db.manager
      .createQueryBuilder(InlinePolicyEntity, 'i')
      .where('i.principal_id = :principalId', { principalId })
      .andWhere(after === undefined ? 'TRUE' : 'i.name_lower COLLATE "C" > :after COLLATE "C"', { after })
      .orderBy('i.name_lower COLLATE "C"')
      .limit(limit)
      .getMany();
  }

  /** The inline policies of many principals in one query: by principal, each in the order of {@link page}. */
  async policiesOf(principalIds: readonly string[]): Promise<Array<Pick<InlinePolicyEntity, 'principalId' | 'name' | 'document'>>> {
    if (principalIds.length === 0) return [];
    return this.db.manager
      .createQueryBuilder(InlinePolicyEntity, 'i')
      .select(['i.principalId', 'i.name', 'i.document'])
      .where('i.principal_id = ANY(CAST(:principalIds AS text[]))', { principalIds })
      .orderBy('i.principal_id')
      .addOrderBy('i.name_lower COLLATE "C"')
      .getMany();
  }

  async countOf(manager: EntityManager, principalId: string): Promise<number> {
    return manager.countBy(InlinePolicyEntity, { principalId });
  }

  async deleteAllOf(manager: EntityManager, principalId: string): Promise<void> {
    await manager.delete(InlinePolicyEntity, { principalId });
  }
}
