import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions } from '../authorization.options';
import { rows } from '../persistence/sql';
import { AWS_ACCOUNT, CATALOGUE_PACKAGE, CataloguePolicy, cataloguePackageVersion, loadCatalogue } from './aws-catalogue';

/** What one synchronisation did. */
export interface CatalogueSyncResult {
  /** The package version now recorded; null when nothing was done (already in step, or not enabled). */
  version: string | null;
  policiesAdded: number;
  versionsAdded: number;
  /** Policies whose default version moved forward, with the attachments that now use the new default. */
  defaultsMoved: { arn: string; from: string; to: string; attachments: number }[];
  /** Policies stored here that the package no longer ships: kept as they are. */
  policiesKept: number;
}

/** Rows per INSERT, and their size at most, so that no statement nears the statement timeout. */
const BATCH_ROWS = 500;
const BATCH_CHARS = 2_000_000;

function* batches<T>(items: readonly T[], size: (item: T) => number): Generator<T[]> {
  let batch: T[] = [];
  let chars = 0;
  for (const item of items) {
    if (batch.length > 0 && (batch.length >= BATCH_ROWS || chars + size(item) > BATCH_CHARS)) {
      yield batch;
      batch = [];
      chars = 0;
    }
    batch.push(item);
    chars += size(item);
  }
  if (batch.length > 0) yield batch;
}

/**
 * Brings the stored AWS managed policies in step with the installed catalogue package, once per
 * package version (recorded in `aws_catalogue`), under a transaction lock so that replicas starting
 * together do it once. An upgrade only adds: new policies, and new versions of known ones; a stored
 * version's document is never rewritten and a policy the package dropped is kept, so what a stored
 * version means never changes. A policy's default version moves forward to the package's default,
 * as AWS moves it; every such move is logged with the attachments it concerns, and the earlier
 * versions stay readable (`GetPolicyVersion`).
 */
@Injectable()
export class AwsCatalogueSync implements OnModuleInit {
  private readonly logger = new Logger(AwsCatalogueSync.name);

  constructor(
    private readonly db: DataSource,
    @Inject(AUTHORIZATION_OPTIONS) private readonly options: AuthorizationServiceOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if ((this.options.awsManagedPolicies ?? 'catalogue') !== 'catalogue') return;
    const result = await this.sync(cataloguePackageVersion(), loadCatalogue);
    if (result.version === null) return;
    this.logger.log(
      `AWS managed policies from ${CATALOGUE_PACKAGE}@${result.version}: ${result.policiesAdded} policies and ${result.versionsAdded} versions added, ` +
        `${result.defaultsMoved.length} default versions moved forward, ${result.policiesKept} policies kept that the package no longer ships`,
    );
    for (const moved of result.defaultsMoved) {
      this.logger.log(`${moved.arn}: default version ${moved.from} -> ${moved.to} (${moved.attachments} attachments now use ${moved.to})`);
    }
  }

  /** Synchronises with the catalogue `load` gives, unless `version` is the one already recorded. */
  async sync(version: string, load: () => Promise<readonly CataloguePolicy[]>): Promise<CatalogueSyncResult> {
    return this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['authorization.aws-catalogue']);
      const [recorded] = await rows<{ version: string }>(manager, 'SELECT version FROM "authorization".aws_catalogue WHERE package = $1', [
        CATALOGUE_PACKAGE,
      ]);
      const none: CatalogueSyncResult = { version: null, policiesAdded: 0, versionsAdded: 0, defaultsMoved: [], policiesKept: 0 };
      if (recorded?.version === version) return none;
      const result = await this.apply(manager, await load());
      await manager.query(
        `INSERT INTO "authorization".aws_catalogue (package, version, synced_at) VALUES ($1, $2, now())
         ON CONFLICT (package) DO UPDATE SET version = EXCLUDED.version, synced_at = EXCLUDED.synced_at`,
        [CATALOGUE_PACKAGE, version],
      );
      return { ...result, version };
    });
  }

  private async apply(manager: EntityManager, catalogue: readonly CataloguePolicy[]): Promise<Omit<CatalogueSyncResult, 'version'>> {
    const stored = await rows<{ policy_id: string; arn: string; default_version: string; next_version: number }>(
      manager,
      'SELECT policy_id, arn, default_version, next_version FROM "authorization".policies WHERE account = $1',
      [AWS_ACCOUNT],
    );
    const byArn = new Map(stored.map((row) => [row.arn, row]));
    const storedVersions = await rows<{ policy_id: string; version_id: string }>(
      manager,
      `SELECT v.policy_id, v.version_id FROM "authorization".policy_versions v
         JOIN "authorization".policies p ON p.policy_id = v.policy_id WHERE p.account = $1`,
      [AWS_ACCOUNT],
    );
    const hasVersion = new Set(storedVersions.map((row) => `${row.policy_id} ${row.version_id}`));

    const newPolicies = catalogue.filter((policy) => !byArn.has(policy.arn));
    for (const batch of batches(newPolicies, () => 200)) {
      await manager.query(
        `INSERT INTO "authorization".policies
           (policy_id, account, name, name_lower, path, arn, description, default_version, next_version, create_date, update_date)
         SELECT id, $1, name, lower(name), path, arn, description, default_version, next_version, create_date, update_date
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::timestamptz[], $10::timestamptz[])
             AS t(id, name, path, arn, description, default_version, next_version, create_date, update_date)`,
        [
          AWS_ACCOUNT,
          batch.map((p) => p.policyId),
          batch.map((p) => p.name),
          batch.map((p) => p.path),
          batch.map((p) => p.arn),
          batch.map((p) => p.description),
          batch.map((p) => p.defaultVersionId),
          batch.map((p) => p.versions[p.versions.length - 1].number + 1),
          batch.map((p) => p.createDate),
          batch.map((p) => p.updateDate),
        ],
      );
    }

    const idOf = (policy: CataloguePolicy): string => byArn.get(policy.arn)?.policy_id ?? policy.policyId;
    const newVersions = catalogue.flatMap((policy) =>
      policy.versions.filter((version) => !hasVersion.has(`${idOf(policy)} ${version.versionId}`)).map((version) => ({ policyId: idOf(policy), ...version })),
    );
    for (const batch of batches(newVersions, (version) => version.document.length)) {
      await manager.query(
        `INSERT INTO "authorization".policy_versions (policy_id, version_id, version_number, document, create_date)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[])
         ON CONFLICT (policy_id, version_id) DO NOTHING`,
        [
          batch.map((v) => v.policyId),
          batch.map((v) => v.versionId),
          batch.map((v) => v.number),
          batch.map((v) => v.document),
          batch.map((v) => v.createDate),
        ],
      );
    }

    const defaultsMoved: CatalogueSyncResult['defaultsMoved'] = [];
    for (const policy of catalogue) {
      const row = byArn.get(policy.arn);
      if (!row) continue;
      const highest = policy.versions[policy.versions.length - 1].number;
      const target = policy.versions.find((version) => version.versionId === policy.defaultVersionId);
      const current = Number(row.default_version.slice(1));
      const moves = target !== undefined && target.number > current;
      if (!moves && highest < row.next_version) continue;
      await manager.query(
        `UPDATE "authorization".policies
            SET next_version = GREATEST(next_version, $2),
                default_version = CASE WHEN $3 THEN $4 ELSE default_version END,
                update_date = CASE WHEN $3 THEN $5::timestamptz ELSE update_date END
          WHERE policy_id = $1`,
        [row.policy_id, highest + 1, moves, policy.defaultVersionId, policy.updateDate],
      );
      if (moves) {
        const [{ attachments }] = await rows<{ attachments: number }>(
          manager,
          'SELECT count(*)::int AS attachments FROM "authorization".attachments WHERE policy_id = $1',
          [row.policy_id],
        );
        defaultsMoved.push({ arn: policy.arn, from: row.default_version, to: policy.defaultVersionId, attachments });
      }
    }
    const shipped = new Set(catalogue.map((policy) => policy.arn));
    return {
      policiesAdded: newPolicies.length,
      versionsAdded: newVersions.length,
      defaultsMoved,
      policiesKept: stored.filter((row) => !shipped.has(row.arn)).length,
    };
  }
}
