import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AttachmentEntity } from '../attachments/attachment.entity';
import { AWS_ACCOUNT, CATALOGUE_PACKAGE, type CataloguePolicy, type CatalogueVersion } from './aws-catalogue';
import { PolicyVersionEntity } from './policy-version.entity';
import { PolicyEntity } from './policy.entity';

/** An AWS managed policy as stored, as far as a synchronisation reads it. */
export type StoredAwsPolicy = Pick<PolicyEntity, 'policyId' | 'arn' | 'defaultVersion' | 'nextVersion'>;

/** A version of the catalogue to add to a policy. */
export type NewAwsVersion = CatalogueVersion & { readonly policyId: string };

/**
 * The stored AWS managed policies, as the catalogue's synchronisation reads and adds them; every
 * method runs in the caller's transaction (`manager`).
 *
 * - Not found: {@link recordedVersion} answers `null` when no package was ever recorded.
 * - Ordering: none; the synchronisation indexes what it reads.
 * - Locking: {@link lock} takes a transaction-level advisory lock, so that replicas starting
 *   together synchronise one after the other; it lasts until the transaction ends.
 * - SQL text only where TypeORM has no words for it: the advisory lock, the upsert of the
 *   recorded version, the batched inserts (`unnest` of arrays, one statement per batch) and the
 *   update of a policy's version counters (`GREATEST`, `CASE`).
 */
@Injectable()
export class AwsCatalogueStore {
  /** Waits for, then holds until the transaction ends, the lock of the catalogue's synchronisation. */
  async lock(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['authorization.aws-catalogue']);
  }

  /** The catalogue package version last synchronised; `null` when none was. */
  async recordedVersion(manager: EntityManager): Promise<string | null> {
    const rows: { version: string }[] = await manager.query('SELECT version FROM "authorization".aws_catalogue WHERE package = $1', [CATALOGUE_PACKAGE]);
    return rows[0]?.version ?? null;
  }

  /** Records `version` as the package version synchronised now. */
  async record(manager: EntityManager, version: string): Promise<void> {
    await manager.query(
      `INSERT INTO "authorization".aws_catalogue (package, version, synced_at) VALUES ($1, $2, now())
       ON CONFLICT (package) DO UPDATE SET version = EXCLUDED.version, synced_at = EXCLUDED.synced_at`,
      [CATALOGUE_PACKAGE, version],
    );
  }

  /** Every stored AWS managed policy (those the package no longer ships too). */
  async policies(manager: EntityManager): Promise<StoredAwsPolicy[]> {
    return manager.find(PolicyEntity, {
      select: { policyId: true, arn: true, defaultVersion: true, nextVersion: true },
      where: { account: AWS_ACCOUNT },
    });
  }

  /** The versions stored of the AWS managed policies, as `policy id` + space + `version id`. */
  async versionKeys(manager: EntityManager): Promise<Set<string>> {
    const versions = await manager
      .createQueryBuilder(PolicyVersionEntity, 'v')
      .select(['v.policyId', 'v.versionId'])
      .innerJoin(PolicyEntity, 'p', 'p.policy_id = v.policy_id')
      .where('p.account = :account', { account: AWS_ACCOUNT })
      .getMany();
    return new Set(versions.map((version) => `${version.policyId} ${version.versionId}`));
  }

  /** Adds policies of the catalogue (one statement; the caller keeps batches small). */
  async addPolicies(manager: EntityManager, policies: readonly CataloguePolicy[]): Promise<void> {
    await manager.query(
      `INSERT INTO "authorization".policies
         (policy_id, account, name, name_lower, path, arn, description, default_version, next_version, create_date, update_date)
       SELECT id, $1, name, lower(name), path, arn, description, default_version, next_version, create_date, update_date
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::timestamptz[], $10::timestamptz[])
           AS t(id, name, path, arn, description, default_version, next_version, create_date, update_date)`,
      [
        AWS_ACCOUNT,
        policies.map((p) => p.policyId),
        policies.map((p) => p.name),
        policies.map((p) => p.path),
        policies.map((p) => p.arn),
        policies.map((p) => p.description),
        policies.map((p) => p.defaultVersionId),
        policies.map((p) => p.versions[p.versions.length - 1].number + 1),
        policies.map((p) => p.createDate),
        policies.map((p) => p.updateDate),
      ],
    );
  }

  /** Adds versions, leaving any already stored as they are (one statement; the caller keeps batches small). */
  async addVersions(manager: EntityManager, versions: readonly NewAwsVersion[]): Promise<void> {
    await manager.query(
      `INSERT INTO "authorization".policy_versions (policy_id, version_id, version_number, document, create_date)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[])
       ON CONFLICT (policy_id, version_id) DO NOTHING`,
      [
        versions.map((v) => v.policyId),
        versions.map((v) => v.versionId),
        versions.map((v) => v.number),
        versions.map((v) => v.document),
        versions.map((v) => v.createDate),
      ],
    );
  }

  /**
   * Raises a policy's next version number to at least `nextVersion` and, when `moveDefault` is
   * given, makes that version its default as of `updateDate`.
   */
  async advance(manager: EntityManager, policyId: string, nextVersion: number, moveDefault?: { versionId: string; updateDate: string }): Promise<void> {
    await manager.query(
      `UPDATE "authorization".policies
          SET next_version = GREATEST(next_version, $2),
              default_version = CASE WHEN $3 THEN $4 ELSE default_version END,
              update_date = CASE WHEN $3 THEN $5::timestamptz ELSE update_date END
        WHERE policy_id = $1`,
      [policyId, nextVersion, moveDefault !== undefined, moveDefault?.versionId ?? null, moveDefault?.updateDate ?? null],
    );
  }

  /** How many principals the policy is attached to. */
  async attachments(manager: EntityManager, policyId: string): Promise<number> {
    return manager.countBy(AttachmentEntity, { policyId });
  }
}
