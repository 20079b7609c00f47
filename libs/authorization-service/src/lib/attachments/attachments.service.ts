import { Inject, Injectable } from '@nestjs/common';
import { AttachedPolicy, IamError, ListEntitiesForPolicyReply, ListEntitiesForPolicyRequest, Page, PageRequest } from '@iam/contracts';
import { Clock, compareKeys, Listing } from '@iam/platform';
import { DataSource } from 'typeorm';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions, policiesPerPrincipal } from '../authorization.options';
import { DirectoryGroups, IdentityUsers } from '../shared/neighbours';

import { AWS_ACCOUNT } from '../policies/aws-managed-policies';
import { PoliciesService } from '../policies/policies.service';
import { PoliciesStore } from '../policies/policies.store';
import { parsePolicyArn } from '../policies/policy-arn';
import { noSuchPrincipal, PrincipalType, resolvePrincipal } from '../principals/named-principal';
import { PrincipalTombstonesStore } from '../principals/principal-tombstones.store';
import { AuthorizationErrors } from '../shared/errors';
import { AttachmentsStore } from './attachments.store';

/** A principal's attached policies in the order they were attached. */const ATTACHED_POLICIES = new Listing<[seq: number]>('attached-policies', 1);
/** Groups (kind 0) before users (kind 1), each by name regardless of case. */
const POLICY_ENTITIES = new Listing<[kind: number, nameLower: string, id: string]>('policy-entities', 3);

/** Attachments of managed policies to users and groups. */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly db: DataSource,
    private readonly store: AttachmentsStore,
    private readonly policyStore: PoliciesStore,
    private readonly policies: PoliciesService,
    private readonly tombstones: PrincipalTombstonesStore,
    private readonly users: IdentityUsers,
    private readonly groups: DirectoryGroups,
    private readonly clock: Clock,
    @Inject(AUTHORIZATION_OPTIONS) private readonly options: AuthorizationServiceOptions,
  ) {}

  private quota(type: PrincipalType): number {
    return policiesPerPrincipal(this.options, type);
  }

  /** Attaches a managed policy; attaching it again is not an error. */
  async attach(type: PrincipalType, name: string, policyArn: string): Promise<void> {
    parsePolicyArn(policyArn);
    const principal = await resolvePrincipal(this.users, this.groups, type, name);
    const limit = this.quota(type);
    const now = this.clock.now();
    await this.db.transaction(async (manager) => {
      await this.tombstones.lock(manager, principal.id);
      if (await this.tombstones.isTombstoned(manager, principal.id)) throw noSuchPrincipal(type, name);
      const policy = await this.policyStore.find(policyArn, manager, 'share');
      if (!policy) throw AuthorizationErrors.policyNotAttachable(policyArn);
      const attached = await this.store.policyIdsOf(manager, principal.id);
      if (attached.includes(policy.policyId)) return;
      if (attached.length >= limit) throw AuthorizationErrors.attachedPolicyLimit(type, limit);
      await this.store.attach(manager, { principalId: principal.id, principalType: type, policyId: policy.policyId, attachDate: now });
    });
  }

  /** Detaches a managed policy; one that is not attached answers `NoSuchEntity`. */
  async detach(type: PrincipalType, name: string, policyArn: string): Promise<void> {
    parsePolicyArn(policyArn);
    const principal = await resolvePrincipal(this.users, this.groups, type, name);
    if (!(await this.store.detach(principal.id, policyArn))) throw AuthorizationErrors.noSuchPolicy(policyArn);
  }

  async listAttached(type: PrincipalType, name: string, request: PageRequest & { PathPrefix?: string }): Promise<{ AttachedPolicies: AttachedPolicy[] } & Page> {
    const principal = await resolvePrincipal(this.users, this.groups, type, name);
    const page = ATTACHED_POLICIES.query(request);
    const found = await this.store.page(principal.id, request.PathPrefix ?? '/', page.after?.[0], page.limit);
    const { items, page: shown } = ATTACHED_POLICIES.page(found, page, (row) => [Number(row.seq)]);
    return { AttachedPolicies: items.map((row) => ({ PolicyName: row.name, PolicyArn: row.arn })), ...shown };
  }

  async listEntities(request: ListEntitiesForPolicyRequest): Promise<ListEntitiesForPolicyReply> {
    const policy = await this.policies.find(request.PolicyArn);
    const empty: ListEntitiesForPolicyReply = { PolicyGroups: [], PolicyUsers: [], PolicyRoles: [], IsTruncated: false };
    const filter = request.EntityFilter;
    const aws = policy.account === AWS_ACCOUNT;
    if (
      request.PolicyUsageFilter === 'PermissionsBoundary' ||
      filter === 'Role' ||
      (filter === 'LocalManagedPolicy' && aws) ||
      (filter === 'AWSManagedPolicy' && !aws)
    ) {
      return empty;
    }
    const attached = await this.store.holdersOf(policy.policyId);
    const wantGroups = filter !== 'User';
    const wantUsers = filter !== 'Group';
    const groupIds = wantGroups ? attached.filter((row) => row.principalType === 'group').map((row) => row.principalId) : [];
    const userIds = wantUsers ? attached.filter((row) => row.principalType === 'user').map((row) => row.principalId) : [];
    const [users, groups] = await Promise.all([
      userIds.length > 0 ? this.users.byIds(userIds) : Promise.resolve([]),
      Promise.all(
        groupIds.map((id) =>
          this.groups.byId(id).catch((error: unknown) => {
            if (error instanceof IamError && error.code === 'NoSuchEntity') return undefined;
            throw error;
          }),
        ),
      ),
    ]);
    const prefix = request.PathPrefix ?? '/';
    const entities = [
      ...groups.flatMap((group) => (group && group.Path.startsWith(prefix) ? [{ kind: 0, name: group.GroupName, id: group.GroupId }] : [])),
      ...users.filter((user) => user.Path.startsWith(prefix)).map((user) => ({ kind: 1, name: user.UserName, id: user.UserId })),
    ];
    const key = (entity: { kind: number; name: string; id: string }): [number, string, string] => [entity.kind, entity.name.toLowerCase(), entity.id];
    entities.sort((a, b) => compareKeys(key(a), key(b)));
    const { items, page: rest } = POLICY_ENTITIES.slice(entities, request, key);
    return {
      PolicyGroups: items.filter((entity) => entity.kind === 0).map((entity) => ({ GroupName: entity.name, GroupId: entity.id })),
      PolicyUsers: items.filter((entity) => entity.kind === 1).map((entity) => ({ UserName: entity.name, UserId: entity.id })),
      PolicyRoles: [],
      ...rest,
    };
  }
}
