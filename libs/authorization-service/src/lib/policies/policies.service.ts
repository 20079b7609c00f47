import { Inject, Injectable } from '@nestjs/common';
import {
  AuthorizationAccountSummary,
  Arns,
  CreatePolicyRequest,
  CreatePolicyVersionRequest,
  ListPoliciesRequest,
  ListPolicyTagsRequest,
  ListPolicyVersionsRequest,
  mergeTags,
  Page,
  Policy,
  PolicySourceType,
  PolicyVersion,
  PolicyVersionRequest,
  removeTags,
  Tag,
  TagPolicyRequest,
  UntagPolicyRequest,
} from '@iam/contracts';
import { Clock, compareKeys, IdGenerator, isUniqueViolation, Listing } from '@iam/platform';
import { GROUP_INLINE_POLICIES_MAX_SIZE, MANAGED_POLICY_MAX_SIZE, PolicySource, USER_INLINE_POLICIES_MAX_SIZE } from '@iam/policy-engine';
import { DataSource, EntityManager } from 'typeorm';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions, policiesPerPrincipal } from '../authorization.options';
import { CompiledPolicies } from '../documents/compiled-policies';
import { DocumentEvents } from '../documents/document-events';
import { compileDocument } from '../documents/policy-documents';
import { AttachmentsStore } from '../attachments/attachments.store';
import { AuthorizationErrors } from '../shared/errors';
import { AWS_ACCOUNT } from './aws-managed-policies';
import { PoliciesStore, PolicyLock } from './policies.store';
import { parsePolicyArn } from './policy-arn';
import { PolicyVersionEntity } from './policy-version.entity';
import { PolicyEntity } from './policy.entity';

/** Policies by name regardless of case (in byte order), then ARN. */
const POLICIES = new Listing<[nameLower: string, arn: string]>('policies', 2);
/** A policy's tags by key length, then key (`policyTagsInListingOrder`). */
const POLICY_TAGS = new Listing<[length: number, key: string]>('policy-tags', 2);
/** A policy's versions, newest first. */
const POLICY_VERSIONS = new Listing<[negativeVersionNumber: number]>('policy-versions', 1);

/** Versions a managed policy may have at once. */
export const MAX_POLICY_VERSIONS = 5;

/** The source label a managed policy has in decisions and simulations. */
export function managedType(policy: Pick<PolicyEntity, 'account'>): PolicySourceType {
  return policy.account === AWS_ACCOUNT ? 'aws-managed' : 'user-managed';
}

export function managedSource(policy: Pick<PolicyEntity, 'policyId' | 'name' | 'account'>, versionId: string): PolicySource {
  return { id: policy.policyId, version: versionId, type: managedType(policy), name: policy.name };
}

/**
 * `ListPolicyTags`' order, as AWS lists a policy's tags: shorter keys first, then by key as
 * written (`a`, `b`, `z`, `abc`; `A` before `a`). Pure.
 */
export function policyTagsInListingOrder(tags: readonly Tag[]): Tag[] {
  return [...tags].sort((a, b) => compareKeys(policyTagKey(a), policyTagKey(b)));
}

function policyTagKey(tag: Tag): [length: number, key: string] {
  return [tag.Key.length, tag.Key];
}

/** Customer managed policies and their versions and tags; AWS managed policies read-only. */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly db: DataSource,
    private readonly store: PoliciesStore,
    private readonly attachments: AttachmentsStore,
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
  toPolicy(row: PolicyEntity, attachmentCount: number, view: 'list' | 'create' | 'get'): Policy {
    const policy: Policy = {
      PolicyName: row.name,
      PolicyId: row.policyId,
      Arn: row.arn,
      Path: row.path,
      DefaultVersionId: row.defaultVersion,
      AttachmentCount: attachmentCount,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: new Date(row.createDate).toISOString(),
      UpdateDate: new Date(row.updateDate).toISOString(),
    };
    if (view === 'get' && row.description) policy.Description = row.description;
    if (view === 'get' || (view === 'create' && row.tags.length > 0)) policy.Tags = row.tags;
    return policy;
  }

  /** The policy of that ARN; `InvalidInput` for a bad ARN, `NoSuchEntity` when unknown. */
  async find(arn: string, manager?: EntityManager, lock?: PolicyLock): Promise<PolicyEntity> {
    parsePolicyArn(arn);
    const policy = await this.store.find(arn, manager, lock);
    if (!policy) throw AuthorizationErrors.noSuchPolicy(arn);
    return policy;
  }

  private async shown(arn: string, view: 'create' | 'get'): Promise<Policy> {
    const policy = await this.find(arn);
    const counts = await this.store.attachmentCounts([policy.policyId]);
    return this.toPolicy(policy, counts.get(policy.policyId) ?? 0, view);
  }

  /** The customer managed policy, locked for a change; AWS managed policies answer `AccessDenied`. */
  private async writable(manager: EntityManager, action: string, arn: string): Promise<PolicyEntity> {
    if (parsePolicyArn(arn).account === AWS_ACCOUNT) {
      await this.find(arn, manager);
      throw AuthorizationErrors.awsManagedPolicy(action, arn);
    }
    return this.find(arn, manager, 'update');
  }

  async create(request: CreatePolicyRequest): Promise<Policy> {
    const path = request.Path ?? '/';
    const policyId = this.ids.next('ANPA');
    const account = this.options.accountId;
    const source = managedSource({ policyId, name: request.PolicyName, account }, 'v1');
    const document = compileDocument(request.PolicyDocument, source, { maxSize: MANAGED_POLICY_MAX_SIZE, kind: 'managed' });
    const tags = mergeTags([], request.Tags ?? [], 'sensitive');
    const now = this.clock.now();
    const arn = Arns.policy(account, path, request.PolicyName);
    try {
      await this.db.transaction((manager) =>
        this.store.create(
          manager,
          {
            policyId,
            account,
            name: request.PolicyName,
            nameLower: request.PolicyName.toLowerCase(),
            path,
            arn,
            description: request.Description ?? null,
            defaultVersion: 'v1',
            nextVersion: 2,
            createDate: now,
            updateDate: now,
            tags,
          },
          { policyId, versionId: 'v1', versionNumber: 1, document: request.PolicyDocument, createDate: now },
        ),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw AuthorizationErrors.policyExists(request.PolicyName);
      throw error;
    }
    this.compiled.put(CompiledPolicies.managedKey(policyId, 'v1'), document);
    await this.events.written({ Kind: 'managed', PolicyId: policyId, VersionId: 'v1' });
    return this.shown(arn, 'create');
  }

  async get(arn: string): Promise<Policy> {
    return this.shown(arn, 'get');
  }

  async list(request: ListPoliciesRequest): Promise<{ Policies: Policy[] } & Page> {
    if (request.PolicyUsageFilter === 'PermissionsBoundary') return { Policies: [], IsTruncated: false };
    const scope = request.Scope ?? 'All';
    const account = scope === 'All' ? undefined : scope === 'AWS' ? AWS_ACCOUNT : this.options.accountId;
    const page = POLICIES.query(request);
    const found = await this.store.page({ account, pathPrefix: request.PathPrefix ?? '/', onlyAttached: request.OnlyAttached ?? false }, page.after, page.limit);
    const { items, page: shown } = POLICIES.page(found, page, (row) => [row.nameLower, row.arn]);
    const counts = await this.store.attachmentCounts(items.map((row) => row.policyId));
    return { Policies: items.map((row) => this.toPolicy(row, counts.get(row.policyId) ?? 0, 'list')), ...shown };
  }

  /**
   * Authorization's part of `GetAccountSummary`: the account's customer managed policies and
   * their versions, counted in one statement, and the quotas this service enforces.
   */
  async accountSummary(): Promise<AuthorizationAccountSummary> {
    const counts = await this.store.counts(this.options.accountId);
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
      if ((await this.attachments.countForPolicy(manager, policy.policyId)) > 0) throw AuthorizationErrors.policyAttached();
      if ((await this.store.versionCount(manager, policy.policyId)) > 1) throw AuthorizationErrors.policyHasVersions();
      await this.store.delete(manager, policy.policyId);
    });
  }

  async tag(request: TagPolicyRequest): Promise<void> {
    await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'TagPolicy', request.PolicyArn);
      await this.store.setTags(manager, policy.policyId, mergeTags(policy.tags, request.Tags, 'sensitive'));
    });
  }

  async untag(request: UntagPolicyRequest): Promise<void> {
    await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'UntagPolicy', request.PolicyArn);
      await this.store.setTags(manager, policy.policyId, removeTags(policy.tags, request.TagKeys, 'sensitive'));
    });
  }

  async listTags(request: ListPolicyTagsRequest): Promise<{ Tags: Tag[] } & Page> {
    const policy = await this.find(request.PolicyArn);
    const { items, page } = POLICY_TAGS.slice(policyTagsInListingOrder(policy.tags), request, policyTagKey);
    return { Tags: items, ...page };
  }

  private toVersion(row: Omit<PolicyVersionEntity, 'document'> & { document?: string }, defaultVersion: string, withDocument: boolean): PolicyVersion {
    const version: PolicyVersion = {
      VersionId: row.versionId,
      IsDefaultVersion: row.versionId === defaultVersion,
      CreateDate: new Date(row.createDate).toISOString(),
    };
    return withDocument ? { Document: row.document, ...version } : version;
  }

  async createVersion(request: CreatePolicyVersionRequest): Promise<PolicyVersion> {
    parsePolicyArn(request.PolicyArn);
    // Validate before taking any lock; the source is fixed once the version id is known.
    compileDocument(request.PolicyDocument, { id: 'validation' }, { maxSize: MANAGED_POLICY_MAX_SIZE, kind: 'managed' });
    const now = this.clock.now();
    const makeDefault = request.SetAsDefault ?? false;
    const { policy, versionId } = await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'CreatePolicyVersion', request.PolicyArn);
      if ((await this.store.versionCount(manager, policy.policyId)) >= MAX_POLICY_VERSIONS) {
        throw AuthorizationErrors.policyVersionLimit(MAX_POLICY_VERSIONS);
      }
      const versionId = await this.store.addVersion(manager, policy, request.PolicyDocument, makeDefault, now);
      return { policy, versionId };
    });
    this.compiled.put(CompiledPolicies.managedKey(policy.policyId, versionId), compileDocument(request.PolicyDocument, managedSource(policy, versionId), { kind: 'managed' }));
    await this.events.written({ Kind: 'managed', PolicyId: policy.policyId, VersionId: versionId });
    return {
      Document: request.PolicyDocument,
      VersionId: versionId,
      IsDefaultVersion: makeDefault,
      CreateDate: now.toISOString(),
    };
  }

  async getVersion(request: PolicyVersionRequest): Promise<PolicyVersion> {
    const policy = await this.find(request.PolicyArn);
    const version = await this.store.findVersion(policy.policyId, request.VersionId);
    if (!version) throw AuthorizationErrors.noSuchPolicyVersion(request.PolicyArn, request.VersionId);
    return this.toVersion(version, policy.defaultVersion, true);
  }

  async listVersions(request: ListPolicyVersionsRequest): Promise<{ Versions: PolicyVersion[] } & Page> {
    const policy = await this.find(request.PolicyArn);
    const found = await this.store.versions(policy.policyId);
    const { items, page } = POLICY_VERSIONS.slice(found, request, (row) => [-row.versionNumber]);
    return { Versions: items.map((row) => this.toVersion(row, policy.defaultVersion, false)), ...page };
  }

  async setDefaultVersion(request: PolicyVersionRequest): Promise<void> {
    await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'SetDefaultPolicyVersion', request.PolicyArn);
      if (!(await this.store.findVersion(policy.policyId, request.VersionId, manager))) {
        throw AuthorizationErrors.noSuchPolicyVersion(request.PolicyArn, request.VersionId);
      }
      await this.store.setDefaultVersion(manager, policy.policyId, request.VersionId, this.clock.now());
    });
  }

  async deleteVersion(request: PolicyVersionRequest): Promise<void> {
    await this.db.transaction(async (manager) => {
      const policy = await this.writable(manager, 'DeletePolicyVersion', request.PolicyArn);
      if (policy.defaultVersion === request.VersionId) throw AuthorizationErrors.defaultVersion();
      if (!(await this.store.deleteVersion(manager, policy.policyId, request.VersionId))) {
        throw AuthorizationErrors.noSuchPolicyVersion(request.PolicyArn, request.VersionId);
      }
    });
  }
}
