import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InlinePolicyEntity } from '../inline/inline-policy.entity';
import { PolicyVersionEntity } from '../policies/policy-version.entity';
import { PolicyEntity } from '../policies/policy.entity';
import type { PrincipalType } from '../principals/named-principal';

/** One policy a principal has, without its document: what a decision reads on every call. */
export interface HeldPolicyRow {
  principalId: string;
  principalType: PrincipalType;
  kind: 'managed' | 'inline';
  /** Managed only. */
  policyId: string | null;
  name: string;
  /** Managed only. */
  arn: string | null;
  /** Managed only. */
  account: string | null;
  /** Managed only: the policy's default version. */
  versionId: string | null;
  /** Inline only. */
  nameLower: string | null;
  /** Inline only. */
  contentHash: string | null;
  /** Orders a holder's policies of one kind: the attachment's `seq` (managed), the lower-cased name (inline). */
  ord: string;
}

/** A managed policy's version with what compiling it needs. */
export interface ManagedDocumentRow {
  name: string;
  account: string;
  document: string;
}

/** Which managed policy version, or which inline policy, to read the document of. */
export interface VersionRef {
  policyId: string;
  versionId: string;
}

export interface InlineRef {
  principalId: string;
  nameLower: string;
}

/**
 * The read model of decisions: which policies principals have (one indexed query, the hot path)
 * and the documents to compile.
 *
 * - Not found: {@link held} answers an empty list; {@link managedDocument} and
 *   {@link inlineDocument} `null`; {@link versions} and {@link inlines} leave out what they do not
 *   find (a version deleted, an inline policy replaced meanwhile); the caller reads again.
 * - Ordering: none; the caller orders each holder's policies (`ord`).
 * - Locking: none; every read is one statement of committed state, outside any transaction.
 */
@Injectable()
export class PolicySetsStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The managed (attached) and inline policies of the principals `principalIds`, or of every
   * principal without them. One statement: TypeORM has no words for `UNION ALL`.
   */
  async held(principalIds: readonly string[] | null): Promise<HeldPolicyRow[]> {
    return this.db.query<HeldPolicyRow[]>(
      `SELECT a.principal_id AS "principalId", a.principal_type AS "principalType", 'managed' AS kind, p.policy_id AS "policyId",
              p.name, p.arn, p.account, p.default_version AS "versionId", NULL AS "nameLower", NULL AS "contentHash", a.seq::text AS ord
         FROM "authorization".attachments a JOIN "authorization".policies p ON p.policy_id = a.policy_id
        WHERE $1::text[] IS NULL OR a.principal_id = ANY($1)
       UNION ALL
       SELECT i.principal_id, i.principal_type, 'inline', NULL, i.name, NULL, NULL, NULL, i.name_lower, i.content_hash, i.name_lower
         FROM "authorization".inline_policies i
        WHERE $1::text[] IS NULL OR i.principal_id = ANY($1)`,
      [principalIds],
    );
  }

  /**
   * One row for each document in use: each attached managed policy once (with one of its
   * holders), each distinct inline policy content once (with one of its owners). One statement:
   * TypeORM has no words for `DISTINCT ON` in a `UNION ALL`.
   */
  async documentsInUse(): Promise<HeldPolicyRow[]> {
    return this.db.query<HeldPolicyRow[]>(
      `(SELECT DISTINCT ON (p.policy_id) a.principal_id AS "principalId", a.principal_type AS "principalType", 'managed' AS kind,
               p.policy_id AS "policyId", p.name, p.arn, p.account, p.default_version AS "versionId", NULL AS "nameLower",
               NULL AS "contentHash", a.seq::text AS ord
          FROM "authorization".attachments a JOIN "authorization".policies p ON p.policy_id = a.policy_id
         ORDER BY p.policy_id)
       UNION ALL
       (SELECT DISTINCT ON (i.content_hash) i.principal_id, i.principal_type, 'inline', NULL, i.name, NULL, NULL, NULL, i.name_lower,
               i.content_hash, i.name_lower
          FROM "authorization".inline_policies i
         ORDER BY i.content_hash)`,
    );
  }

  /** As {@link held}, of every principal, but only the managed policies `policyIds` and the inline policies of content `contentHashes`. */
  async heldOf(policyIds: readonly string[], contentHashes: readonly string[]): Promise<HeldPolicyRow[]> {
    return this.db.query<HeldPolicyRow[]>(
      `SELECT a.principal_id AS "principalId", a.principal_type AS "principalType", 'managed' AS kind, p.policy_id AS "policyId",
              p.name, p.arn, p.account, p.default_version AS "versionId", NULL AS "nameLower", NULL AS "contentHash", a.seq::text AS ord
         FROM "authorization".attachments a JOIN "authorization".policies p ON p.policy_id = a.policy_id
        WHERE a.policy_id = ANY($1)
       UNION ALL
       SELECT i.principal_id, i.principal_type, 'inline', NULL, i.name, NULL, NULL, NULL, i.name_lower, i.content_hash, i.name_lower
         FROM "authorization".inline_policies i
        WHERE i.content_hash = ANY($2)`,
      [policyIds, contentHashes],
    );
  }

  /** The document of one managed policy version, with the policy's name and account. */
  async managedDocument(ref: VersionRef): Promise<ManagedDocumentRow | null> {
    const found = await this.db.manager
      .createQueryBuilder(PolicyVersionEntity, 'v')
      .innerJoin(PolicyEntity, 'p', 'p.policy_id = v.policy_id')
      .select(['p.name AS name', 'p.account AS account', 'v.document AS document'])
      .where('v.policy_id = :policyId AND v.version_id = :versionId', ref)
      .getRawOne<ManagedDocumentRow>();
    return found ?? null;
  }

  /** One inline policy, with its document. */
  async inlineDocument(ref: InlineRef): Promise<InlinePolicyEntity | null> {
    return this.db.manager.findOne(InlinePolicyEntity, {
      select: { principalId: true, nameLower: true, principalType: true, name: true, contentHash: true, document: true },
      where: ref,
    });
  }

  /** The documents of these managed policy versions (any number, as two arrays rather than a parameter per version). */
  async versions(refs: readonly VersionRef[]): Promise<PolicyVersionEntity[]> {
    return this.db.manager
      .createQueryBuilder(PolicyVersionEntity, 'v')
      .select(['v.policyId', 'v.versionId', 'v.document'])
      .where('(v.policy_id, v.version_id) IN (SELECT * FROM unnest(CAST(:policyIds AS text[]), CAST(:versionIds AS text[])))', {
        policyIds: refs.map((ref) => ref.policyId),
        versionIds: refs.map((ref) => ref.versionId),
      })
      .getMany();
  }

  /** These inline policies, with their documents (any number, as two arrays rather than a parameter per policy). */
  async inlines(refs: readonly InlineRef[]): Promise<InlinePolicyEntity[]> {
    return this.db.manager
      .createQueryBuilder(InlinePolicyEntity, 'i')
      .select(['i.principalId', 'i.nameLower', 'i.principalType', 'i.name', 'i.contentHash', 'i.document'])
      .where('(i.principal_id, i.name_lower) IN (SELECT * FROM unnest(CAST(:principalIds AS text[]), CAST(:namesLower AS text[])))', {
        principalIds: refs.map((ref) => ref.principalId),
        namesLower: refs.map((ref) => ref.nameLower),
      })
      .getMany();
  }
}
