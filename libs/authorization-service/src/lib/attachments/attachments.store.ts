import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PolicyEntity } from '../policies/policy.entity';
import type { PrincipalType } from '../principals/named-principal';
import { AttachmentEntity } from './attachment.entity';

/** An attached policy as a principal's listing shows it. */
export interface AttachedRow {
  name: string;
  arn: string;
  seq: string;
}

/**
 * Attachments of managed policies to users and groups, keyed by principal id and policy id.
 *
 * - Not found: reads answer empty lists; {@link detach} answers `false`; the use case chooses the error.
 * - Ordering: a principal's attachments in the order they were made (`seq`), the order the
 *   `Marker` of its listing follows; a policy's attachments in no particular order.
 * - Locking: none of its own; {@link attach} runs inside the caller's transaction under the
 *   principal's lock (`PrincipalTombstonesStore.lock`), with the policy read `FOR SHARE` so it
 *   cannot be deleted meanwhile.
 */
@Injectable()
export class AttachmentsStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The policy ids attached to the principal. */
  async policyIdsOf(manager: EntityManager, principalId: string): Promise<string[]> {
    const found = await manager.find(AttachmentEntity, { select: { policyId: true }, where: { principalId } });
    return found.map((row) => row.policyId);
  }

  async attach(manager: EntityManager, attachment: Omit<AttachmentEntity, 'seq'>): Promise<void> {
    await manager.insert(AttachmentEntity, attachment);
  }

  /** Detaches the policy of that ARN from the principal; `false` when it was not attached. */
  async detach(principalId: string, policyArn: string): Promise<boolean> {
    const policy = await this.db.manager.findOne(PolicyEntity, { select: { policyId: true }, where: { arn: policyArn } });
    if (!policy) return false;
    const result = await this.db.manager.delete(AttachmentEntity, { principalId, policyId: policy.policyId });
    return (result.affected ?? 0) > 0;
  }

  /** Up to `limit` of the principal's attached policies under `pathPrefix` made after `afterSeq`. */
  async page(principalId: string, pathPrefix: string, afterSeq: number | undefined, limit: number): Promise<AttachedRow[]> {
    return this.db.manager
      .createQueryBuilder(AttachmentEntity, 'a')
      .innerJoin(PolicyEntity, 'p', 'p.policy_id = a.policy_id')
      .select(['p.name AS name', 'p.arn AS arn', 'a.seq AS seq'])
      .where('a.principal_id = :principalId', { principalId })
      .andWhere('left(p.path, length(:pathPrefix)) = :pathPrefix', { pathPrefix })
      .andWhere(afterSeq === undefined ? 'TRUE' : 'a.seq > :afterSeq', { afterSeq })
      .orderBy('a.seq')
      .limit(limit)
      .getRawMany<AttachedRow>();
  }

  /** The attached policies of many principals in one query: by principal, each in the order of {@link page}. */
  async attachedOf(principalIds: readonly string[]): Promise<Array<AttachedRow & { principalId: string }>> {
    if (principalIds.length === 0) return [];
    return this.db.manager
      .createQueryBuilder(AttachmentEntity, 'a')
      .innerJoin(PolicyEntity, 'p', 'p.policy_id = a.policy_id')
      .select(['a.principal_id AS "principalId"', 'p.name AS name', 'p.arn AS arn', 'a.seq AS seq'])
      .where('a.principal_id = ANY(CAST(:principalIds AS text[]))', { principalIds })
      .orderBy('a.principal_id')
      .addOrderBy('a.seq')
      .getRawMany<AttachedRow & { principalId: string }>();
  }

  /** Every principal the policy is attached to. */
  async holdersOf(policyId: string): Promise<Array<{ principalId: string; principalType: PrincipalType }>> {
    return this.db.manager.find(AttachmentEntity, { select: { principalId: true, principalType: true }, where: { policyId } });
  }

  async countOf(manager: EntityManager, principalId: string): Promise<number> {
    return manager.countBy(AttachmentEntity, { principalId });
  }

  async countForPolicy(manager: EntityManager, policyId: string): Promise<number> {
    return manager.countBy(AttachmentEntity, { policyId });
  }

  async detachAllOf(manager: EntityManager, principalId: string): Promise<void> {
    await manager.delete(AttachmentEntity, { principalId });
  }
}
