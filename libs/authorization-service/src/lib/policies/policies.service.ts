import { Inject, Injectable } from '@nestjs/common';
import {
  AuthorizationAccountSummary,
  Arns,
  CreatePolicyRequest,
  CreatePolicyVersionRequest,
  IamError,
  ListPoliciesRequest,
  ListPolicyTagsRequest,
  ListPolicyVersionsRequest,
  MAX_TAGS,
  Page,
  Policy,
  PolicySourceType,
  PolicyVersion,
  PolicyVersionRequest,
  Tag,
  TagPolicyRequest,
  UntagPolicyRequest,
} from '@iam/contracts';
import { Clock, IdGenerator, isUniqueViolation, Listing } from '@iam/platform';
import { GROUP_INLINE_POLICIES_MAX_SIZE, MANAGED_POLICY_MAX_SIZE, PolicySource, USER_INLINE_POLICIES_MAX_SIZE } from '@iam/policy-engine';
import { DataSource } from 'typeorm';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions, policiesPerPrincipal } from '../authorization.options';
import { CompiledPolicies } from '../documents/compiled-policies';
import { DocumentEvents } from '../documents/document-events';
import { compileDocument } from '../documents/policy-documents';
import { changed, Queryable, rows } from '../persistence/sql';
import { AWS_ACCOUNT } from './aws-managed-policies';
import { parsePolicyArn, PolicyErrors } from './policy-arn';

/** Policies by name regardless of case (in byte order), then ARN. */
const POLICIES = new Listing<[nameLower: string, arn: string]>('policies', 2);
/** A policy's tags in the order they were added. */
const POLICY_TAGS = new Listing<[index: number]>('policy-tags', 1);
/** A policy's versions, newest first. */
const POLICY_VERSIONS = new Listing<[negativeVersionNumber: number]>('policy-versions', 1);

/** Versions a managed policy may have at once. */
export const MAX_POLICY_VERSIONS = 5;

export interface PolicyRow {
  policy_id: string;
  account: string;
  name: string;
  name_lower: string;
  path: string;
  arn: string;
  description: string | null;
  default_version: string;
  next_version: number;
  create_date: Date;
  update_date: Date;
  tags: Tag[];
  attachment_count?: number;
}

interface VersionRow {
  policy_id: string;
  version_id: string;
  version_number: number;
  document: string;
  create_date: Date;
}

const POLICY_COLUMNS = `p.policy_id, p.account, p.name, p.name_lower, p.path, p.arn, p.description, p.default_version,
  p.next_version, p.create_date, p.update_date, p.tags,
  (SELECT count(*)::int FROM "authorization".attachments a WHERE a.policy_id = p.policy_id) AS attachment_count`;

/** The source label a managed policy has in decisions and simulations. */
export function managedType(row: Pick<PolicyRow, 'account'>): PolicySourceType {
  return row.account === AWS_ACCOUNT ? 'aws-managed' : 'user-managed';
}

export function managedSource(row: Pick<PolicyRow, 'policy_id' | 'name' | 'account'>, versionId: string): PolicySource {
  return { id: row.policy_id, version: versionId, type: managedType(row), name: row.name };
}

/** Finds a policy by ARN, optionally locking its row; `NoSuchEntity` when unknown. */
export async function findPolicy(db: Queryable, arn: string, lock: '' | 'FOR UPDATE' | 'FOR SHARE' = ''): Promise<PolicyRow> {
  parsePolicyArn(arn);
  const [row] = await rows<PolicyRow>(db, `SELECT p.* FROM "authorization".policies p WHERE p.arn = $1 ${lock}`, [arn]);
  if (!row) throw PolicyErrors.notFound(arn);
  return row;
}

/** Tags with keys compared regardless of case: later ones replace earlier ones. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const tag of added) {
    const key = tag.Key.toLowerCase();
    if (seen.has(key)) throw PolicyErrors.duplicateTags();
    seen.add(key);
  }
  const out = existing.filter((tag) => !seen.has(tag.Key.toLowerCase()));
  out.push(...added.map((tag) => ({ Key: tag.Key, Value: tag.Value })));
  if (out.length > MAX_TAGS) throw PolicyErrors.tooManyTags();
  return out;
}

/** Customer managed policies and their versions and tags; AWS managed policies read-only. */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly db: DataSource,
    @Inject(AUTHORIZATION_OPTIONS) private readonly options: AuthorizationServiceOptions,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly compiled: CompiledPolicies,
    private readonly events: DocumentEvents,
  ) {}

  /**
   * The policy as AWS shows it: `list` without Description and Tags; `create` (CreatePolicy's
   * reply) without Description, Tags when there are some; `get` with Description when set and
   * Tags always (an empty list when none).
   */
  toPolicy(row: PolicyRow, view: 'list' | 'create' | 'get'): Policy {
    const policy: Policy = {
      PolicyName: row.name,
      PolicyId: row.policy_id,
      Arn: row.arn,
      Path: row.path,
      DefaultVersionId: row.default_version,
      AttachmentCount: row.attachment_count ?? 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: new Date(row.create_date).toISOString(),
      UpdateDate: new Date(row.update_date).toISOString(),
    };
    if (view === 'get' && row.description) policy.Description = row.description;
    if (view === 'get' || (view === 'create' && row.tags.length > 0)) policy.Tags = row.tags;
    return policy;
  }

  private async read(arn: string): Promise<PolicyRow> {
    parsePolicyArn(arn);
    const [row] = await rows<PolicyRow>(this.db, `SELECT ${POLICY_COLUMNS} FROM "authorization".policies p WHERE p.arn = $1`, [arn]);
    if (!row) throw PolicyErrors.notFound(arn);
    return row;
  }

  private async writable(db: Queryable, action: string, arn: string, lock: 'FOR UPDATE' | 'FOR SHARE' = 'FOR UPDATE'): Promise<PolicyRow> {
    if (parsePolicyArn(arn).account === AWS_ACCOUNT) {
      await findPolicy(db, arn);
      throw PolicyErrors.awsManaged(action, arn);
    }
    return findPolicy(db, arn, lock);
  }

  async create(request: CreatePolicyRequest): Promise<Policy> {
    const path = request.Path ?? '/';
    const policyId = this.ids.next('ANPA');
    const account = this.options.accountId;
    const source = managedSource({ policy_id: policyId, name: request.PolicyName, account }, 'v1');
    const document = compileDocument(request.PolicyDocument, source, { maxSize: MANAGED_POLICY_MAX_SIZE, kind: 'managed' });
    const tags = mergeTags([], request.Tags ?? []);
    const now = this.clock.now();
    const arn = Arns.policy(account, path, request.PolicyName);
    try {
      await this.db.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO "authorization".policies
             (policy_id, account, name, name_lower, path, arn, description, default_version, next_version, create_date, update_date, tags)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'v1', 2, $8, $8, $9::jsonb)`,
          [policyId, account, request.PolicyName, request.PolicyName.toLowerCase(), path, arn, request.Description ?? null, now, JSON.stringify(tags)],
        );
        await manager.query(
          `INSERT INTO "authorization".policy_versions (policy_id, version_id, version_number, document, create_date)
           VALUES ($1, 'v1', 1, $2, $3)`,
          [policyId, request.PolicyDocument, now],
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw PolicyErrors.exists(request.PolicyName);
      throw error;
    }
    this.compiled.put(CompiledPolicies.managedKey(policyId, 'v1'), document);
    await this.events.written({ Kind: 'managed', PolicyId: policyId, VersionId: 'v1' });
    return this.toPolicy(await this.read(arn), 'create');
  }

  async get(arn: string): Promise<Policy> {
    return this.toPolicy(await this.read(arn), 'get');
  }

  async list(request: ListPoliciesRequest): Promise<{ Policies: Policy[] } & Page> {
    if (request.PolicyUsageFilter === 'PermissionsBoundary') return { Policies: [], IsTruncated: false };
    const scope = request.Scope ?? 'All';
    const account = scope === 'All' ? null : scope === 'AWS' ? AWS_ACCOUNT : this.options.accountId;
    const page = POLICIES.query(request);
    const found = await rows<PolicyRow>(
      this.db,
      `SELECT ${POLICY_COLUMNS} FROM "authorization".policies p
        WHERE ($1::text IS NULL OR p.account = $1)
          AND left(p.path, length($2)) = $2
          AND (NOT $3 OR EXISTS (SELECT 1 FROM "authorization".attachments a WHERE a.policy_id = p.policy_id))
          AND ($4::text IS NULL OR (p.name_lower COLLATE "C", p.arn COLLATE "C") > ($4::text COLLATE "C", $5::text COLLATE "C"))
        ORDER BY p.name_lower COLLATE "C", p.arn COLLATE "C"
        LIMIT $6`,
      [account, request.PathPrefix ?? '/', request.OnlyAttached ?? false, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit],
    );
    const { items, page: shown } = POLICIES.page(found, page, (row) => [row.name_lower, row.arn]);
    return { Policies: items.map((row) => this.toPolicy(row, 'list')), ...shown };
  }

  /**
   * Authorization's part of `GetAccountSummary`: the account's customer managed policies and
   * their versions, counted in one statement, and the quotas this service enforces.
   */
  async accountSummary(): Promise<AuthorizationAccountSummary> {
    const [counts] = await rows<{ policies: number; versions: number }>(
      this.db,
      `SELECT (SELECT count(*)::int FROM "authorization".policies WHERE account = $1) AS policies,
              (SELECT count(*)::int FROM "authorization".policy_versions v
                 JOIN "authorization".policies p ON p.policy_id = v.policy_id
                WHERE p.account = $1) AS versions`,
      [this.options.accountId],
    );
    return {
      Policies: counts.policies,
      PolicyVersionsInUse: counts.versions,
      AttachedPoliciesPerUserQuota: policiesPerPrincipal(this.options, 'user'),
      AttachedPoliciesPerGroupQuota: policiesPerPrincipal(this.options, 'group'),
      VersionsPerPolicyQuota: MAX_POLICY_VERSIONS,
      PolicySizeQuota: MANAGED_POLICY_MAX_SIZE,
      UserPolicySizeQuota: USER_INLINE_POLICIES_MAX_SIZE,
      GroupPolicySizeQuota: GROUP_INLINE_POLICIES_MAX_SIZE,
    };
  }

  async delete(arn: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'DeletePolicy', arn);
      const [{ attached, versions }] = await rows<{ attached: number; versions: number }>(
        manager,
        `SELECT (SELECT count(*)::int FROM "authorization".attachments WHERE policy_id = $1) AS attached,
                (SELECT count(*)::int FROM "authorization".policy_versions WHERE policy_id = $1) AS versions`,
        [policy.policy_id],
      );
      if (attached > 0) throw new IamError('DeleteConflict', 'Cannot delete a policy attached to entities.');
      if (versions > 1) {
        throw new IamError(
          'DeleteConflict',
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        );
      }
      await manager.query('DELETE FROM "authorization".policies WHERE policy_id = $1', [policy.policy_id]);
    });
  }

  async tag(request: TagPolicyRequest): Promise<void> {
    await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'TagPolicy', request.PolicyArn);
      const tags = mergeTags(policy.tags, request.Tags);
      await manager.query('UPDATE "authorization".policies SET tags = $2::jsonb WHERE policy_id = $1', [policy.policy_id, JSON.stringify(tags)]);
    });
  }

  async untag(request: UntagPolicyRequest): Promise<void> {
    await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'UntagPolicy', request.PolicyArn);
      const drop = new Set(request.TagKeys.map((key) => key.toLowerCase()));
      const tags = policy.tags.filter((tag) => !drop.has(tag.Key.toLowerCase()));
      await manager.query('UPDATE "authorization".policies SET tags = $2::jsonb WHERE policy_id = $1', [policy.policy_id, JSON.stringify(tags)]);
    });
  }

  async listTags(request: ListPolicyTagsRequest): Promise<{ Tags: Tag[] } & Page> {
    const policy = await findPolicy(this.db, request.PolicyArn);
    const indexed = policy.tags.map((tag, index) => ({ tag, index }));
    const { items, page } = POLICY_TAGS.slice(indexed, request, (item) => [item.index]);
    return { Tags: items.map((item) => item.tag), ...page };
  }

  private toVersion(row: VersionRow, defaultVersion: string, withDocument: boolean): PolicyVersion {
    const version: PolicyVersion = {
      VersionId: row.version_id,
      IsDefaultVersion: row.version_id === defaultVersion,
      CreateDate: new Date(row.create_date).toISOString(),
    };
    return withDocument ? { Document: row.document, ...version } : version;
  }

  async createVersion(request: CreatePolicyVersionRequest): Promise<PolicyVersion> {
    parsePolicyArn(request.PolicyArn);
    // Validate before taking any lock; the source is fixed once the version id is known.
    compileDocument(request.PolicyDocument, { id: 'validation' }, { maxSize: MANAGED_POLICY_MAX_SIZE, kind: 'managed' });
    const now = this.clock.now();
    const { policy, versionId } = await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'CreatePolicyVersion', request.PolicyArn);
      const [{ versions }] = await rows<{ versions: number }>(
        manager,
        'SELECT count(*)::int AS versions FROM "authorization".policy_versions WHERE policy_id = $1',
        [policy.policy_id],
      );
      if (versions >= MAX_POLICY_VERSIONS) {
        throw new IamError(
          'LimitExceeded',
          `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
        );
      }
      const versionId = `v${policy.next_version}`;
      await manager.query(
        `INSERT INTO "authorization".policy_versions (policy_id, version_id, version_number, document, create_date)
         VALUES ($1, $2, $3, $4, $5)`,
        [policy.policy_id, versionId, policy.next_version, request.PolicyDocument, now],
      );
      await manager.query(
        `UPDATE "authorization".policies
            SET next_version = next_version + 1,
                default_version = CASE WHEN $2 THEN $3 ELSE default_version END,
                update_date = CASE WHEN $2 THEN $4 ELSE update_date END
          WHERE policy_id = $1`,
        [policy.policy_id, request.SetAsDefault ?? false, versionId, now],
      );
      return { policy, versionId };
    });
    this.compiled.put(CompiledPolicies.managedKey(policy.policy_id, versionId), compileDocument(request.PolicyDocument, managedSource(policy, versionId), { kind: 'managed' }));
    await this.events.written({ Kind: 'managed', PolicyId: policy.policy_id, VersionId: versionId });
    return {
      Document: request.PolicyDocument,
      VersionId: versionId,
      IsDefaultVersion: request.SetAsDefault ?? false,
      CreateDate: now.toISOString(),
    };
  }

  async getVersion(request: PolicyVersionRequest): Promise<PolicyVersion> {
    const policy = await findPolicy(this.db, request.PolicyArn);
    const [row] = await rows<VersionRow>(
      this.db,
      'SELECT * FROM "authorization".policy_versions WHERE policy_id = $1 AND version_id = $2',
      [policy.policy_id, request.VersionId],
    );
    if (!row) throw PolicyErrors.noSuchVersion(request.PolicyArn, request.VersionId);
    return this.toVersion(row, policy.default_version, true);
  }

  async listVersions(request: ListPolicyVersionsRequest): Promise<{ Versions: PolicyVersion[] } & Page> {
    const policy = await findPolicy(this.db, request.PolicyArn);
    const found = await rows<VersionRow>(
      this.db,
      'SELECT policy_id, version_id, version_number, create_date FROM "authorization".policy_versions WHERE policy_id = $1 ORDER BY version_number DESC',
      [policy.policy_id],
    );
    const { items, page } = POLICY_VERSIONS.slice(found, request, (row) => [-row.version_number]);
    return { Versions: items.map((row) => this.toVersion(row, policy.default_version, false)), ...page };
  }

  async setDefaultVersion(request: PolicyVersionRequest): Promise<void> {
    await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'SetDefaultPolicyVersion', request.PolicyArn);
      const [exists] = await rows(manager, 'SELECT 1 FROM "authorization".policy_versions WHERE policy_id = $1 AND version_id = $2', [
        policy.policy_id,
        request.VersionId,
      ]);
      if (!exists) throw PolicyErrors.noSuchVersion(request.PolicyArn, request.VersionId);
      await manager.query('UPDATE "authorization".policies SET default_version = $2, update_date = $3 WHERE policy_id = $1', [
        policy.policy_id,
        request.VersionId,
        this.clock.now(),
      ]);
    });
  }

  async deleteVersion(request: PolicyVersionRequest): Promise<void> {
    await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'DeletePolicyVersion', request.PolicyArn);
      if (policy.default_version === request.VersionId) {
        throw new IamError('DeleteConflict', 'Cannot delete the default version of a policy.');
      }
      const deleted = await changed(
        manager,
        'DELETE FROM "authorization".policy_versions WHERE policy_id = $1 AND version_id = $2 RETURNING version_id',
        [policy.policy_id, request.VersionId],
      );
      if (deleted.length === 0) throw PolicyErrors.noSuchVersion(request.PolicyArn, request.VersionId);
    });
  }
}
