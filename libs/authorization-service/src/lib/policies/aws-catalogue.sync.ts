import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions } from '../authorization.options';
import { CATALOGUE_PACKAGE, CataloguePolicy, cataloguePackageVersion, loadCatalogue } from './aws-catalogue';
import { AwsCatalogueStore } from './aws-catalogue.store';

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
    private readonly store: AwsCatalogueStore,
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
      await this.store.lock(manager);
      const none: CatalogueSyncResult = { version: null, policiesAdded: 0, versionsAdded: 0, defaultsMoved: [], policiesKept: 0 };
      if ((await this.store.recordedVersion(manager)) === version) return none;
      const result = await this.apply(manager, await load());
      await this.store.record(manager, version);
      return { ...result, version };
    });
  }

  private async apply(manager: EntityManager, catalogue: readonly CataloguePolicy[]): Promise<Omit<CatalogueSyncResult, 'version'>> {
    const stored = await this.store.policies(manager);
    const byArn = new Map(stored.map((policy) => [policy.arn, policy]));
    const hasVersion = await this.store.versionKeys(manager);

    const newPolicies = catalogue.filter((policy) => !byArn.has(policy.arn));
    for (const batch of batches(newPolicies, () => 200)) await this.store.addPolicies(manager, batch);

    const idOf = (policy: CataloguePolicy): string => byArn.get(policy.arn)?.policyId ?? policy.policyId;
    const newVersions = catalogue.flatMap((policy) =>
      policy.versions.filter((version) => !hasVersion.has(`${idOf(policy)} ${version.versionId}`)).map((version) => ({ policyId: idOf(policy), ...version })),
    );
    for (const batch of batches(newVersions, (version) => version.document.length)) await this.store.addVersions(manager, batch);

    const defaultsMoved: CatalogueSyncResult['defaultsMoved'] = [];
    for (const policy of catalogue) {
      const row = byArn.get(policy.arn);
      if (!row) continue;
      const highest = policy.versions[policy.versions.length - 1].number;
      const target = policy.versions.find((version) => version.versionId === policy.defaultVersionId);
      const current = Number(row.defaultVersion.slice(1));
      const moves = target !== undefined && target.number > current;
      if (!moves && highest < row.nextVersion) continue;
      await this.store.advance(manager, row.policyId, highest + 1, moves ? { versionId: policy.defaultVersionId, updateDate: policy.updateDate } : undefined);
      if (moves) {
        const attachments = await this.store.attachments(manager, row.policyId);
        defaultsMoved.push({ arn: policy.arn, from: row.defaultVersion, to: policy.defaultVersionId, attachments });
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
