import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Tag } from '@iam/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AttachmentEntity } from '../attachments/attachment.entity';
import { PolicyVersionEntity } from './policy-version.entity';
import { PolicyEntity } from './policy.entity';

/** How a read locks the policy's row: for a change of it, or only against its deletion. */
export type PolicyLock = 'update' | 'share';

/** Which policies a listing shows. */
export interface PolicyFilter {
  /** Only this account's (`aws` for AWS managed policies); all when absent. */
  account?: string;
  pathPrefix: string;
  onlyAttached: boolean;
}

/**
 * Managed policies and their versions.
 *
 * - Not found: reads answer `null`; {@link deleteVersion} answers `false`; the use case chooses the error.
 * - Ordering: policies by lower-cased name, then ARN, both in byte order (`COLLATE "C"`), the
 *   order the `Marker` of their listing follows; a policy's versions newest first.
 * - Locking: {@link find} with `update` takes the policy's row `FOR UPDATE` (every change of a
 *   policy or its versions holds it), with `share` `FOR SHARE` (an attach, so the policy cannot be
 *   deleted under it). Locks last until the caller's transaction ends.
 * - Versions are removed with their policy (`ON DELETE CASCADE`).
 */
@Injectable()
export class PoliciesStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The policy of that ARN, read in `manager`'s transaction (locked when `lock` is given) or on its own. */
  async find(arn: string, manager: EntityManager = this.db.manager, lock?: PolicyLock): Promise<PolicyEntity | null> {
    const query = manager.createQueryBuilder(PolicyEntity, 'p').where('p.arn = :arn', { arn });
    if (lock) query.setLock(lock === 'update' ? 'pessimistic_write' : 'pessimistic_read');
    return query.getOne();
  }

  /** Up to `limit` policies matching `filter` after the key `after` ([lower-cased name, ARN]). */
  async page(filter: PolicyFilter, after: readonly [string, string] | undefined, limit: number): Promise<PolicyEntity[]> {
    const query = this.db.manager
      .createQueryBuilder(PolicyEntity, 'p')
      .where('left(p.path, length(:pathPrefix)) = :pathPrefix', { pathPrefix: filter.pathPrefix });
    if (filter.account !== undefined) query.andWhere('p.account = :account', { account: filter.account });
    if (filter.onlyAttached) {
      query.andWhere((where) => `EXISTS ${where.subQuery().select('1').from(AttachmentEntity, 'a').where('a.policy_id = p.policy_id').getQuery()}`);
    }
    if (after) {
      query.andWhere('(p.name_lower COLLATE "C", p.arn COLLATE "C") > (:afterName COLLATE "C", :afterArn COLLATE "C")', {
        afterName: after[0],
        afterArn: after[1],
      });
    }
    return query.orderBy('p.name_lower COLLATE "C"').addOrderBy('p.arn COLLATE "C"').limit(limit).getMany();
  }

  /** How many principals each of the policies is attached to (0 for those attached to none). */
  async attachmentCounts(policyIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map(policyIds.map((id) => [id, 0]));
    if (policyIds.length === 0) return counts;
    const found = await this.db.manager
      .createQueryBuilder(AttachmentEntity, 'a')
      .select('a.policy_id', 'policyId')
      .addSelect('count(*)::int', 'count')
      .where('a.policy_id IN (:...policyIds)', { policyIds })
      .groupBy('a.policy_id')
      .getRawMany<{ policyId: string; count: number }>();
    for (const row of found) counts.set(row.policyId, row.count);
    return counts;
  }

  /** Inserts a new policy with its first version; a taken name or ARN is a unique violation. */
  async create(manager: EntityManager, policy: PolicyEntity, firstVersion: PolicyVersionEntity): Promise<void> {
    await manager.insert(PolicyEntity, policy);
    await manager.insert(PolicyVersionEntity, firstVersion);
  }

  /** Deletes the policy and its versions. */
  async delete(manager: EntityManager, policyId: string): Promise<void> {
    await manager.delete(PolicyEntity, { policyId });
  }

  async setTags(manager: EntityManager, policyId: string, tags: Tag[]): Promise<void> {
    await manager.update(PolicyEntity, { policyId }, { tags });
  }

  /** How many policies `account` owns, and how many versions they have together (0 and 0 for none). */
  async counts(account: string): Promise<{ policies: number; versions: number }> {
    const policies = await this.db.manager.countBy(PolicyEntity, { account });
    const versions = await this.db.manager
      .createQueryBuilder(PolicyVersionEntity, 'v')
      .innerJoin(PolicyEntity, 'p', 'p.policyId = v.policyId')
      .where('p.account = :account', { account })
      .getCount();
    return { policies, versions };
  }

  async versionCount(manager: EntityManager, policyId: string): Promise<number> {
    return manager.countBy(PolicyVersionEntity, { policyId });
  }

  /** Adds the version numbered `policy.nextVersion`, moves `nextVersion` on, and makes it the default when asked. */
  async addVersion(manager: EntityManager, policy: PolicyEntity, document: string, makeDefault: boolean, now: Date): Promise<string> {
    const versionId = `v${policy.nextVersion}`;
    await manager.insert(PolicyVersionEntity, { policyId: policy.policyId, versionId, versionNumber: policy.nextVersion, document, createDate: now });
    await manager.update(
      PolicyEntity,
      { policyId: policy.policyId },
      makeDefault ? { nextVersion: policy.nextVersion + 1, defaultVersion: versionId, updateDate: now } : { nextVersion: policy.nextVersion + 1 },
    );
    return versionId;
  }

  async findVersion(policyId: string, versionId: string, manager: EntityManager = this.db.manager): Promise<PolicyVersionEntity | null> {
    return manager.findOneBy(PolicyVersionEntity, { policyId, versionId });
  }

  /** The policy's versions newest first, without their documents. */
  async versions(policyId: string): Promise<Array<Omit<PolicyVersionEntity, 'document'>>> {
    return this.db.manager.find(PolicyVersionEntity, {
      select: { policyId: true, versionId: true, versionNumber: true, createDate: true },
      where: { policyId },
      order: { versionNumber: 'DESC' },
    });
  }

  async setDefaultVersion(manager: EntityManager, policyId: string, versionId: string, now: Date): Promise<void> {
    await manager.update(PolicyEntity, { policyId }, { defaultVersion: versionId, updateDate: now });
  }

  /** Deletes the version; `false` when there was none. */
  async deleteVersion(manager: EntityManager, policyId: string, versionId: string): Promise<boolean> {
    const result = await manager.delete(PolicyVersionEntity, { policyId, versionId });
    return (result.affected ?? 0) > 0;
  }
}
