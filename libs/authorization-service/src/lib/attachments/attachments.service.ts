import { Inject, Injectable } from '@nestjs/common';
import { AttachedPolicy, IamError, ListEntitiesForPolicyReply, ListEntitiesForPolicyRequest, Page, PageRequest } from '@iam/contracts';
import { Clock, compareKeys, Listing } from '@iam/platform';
import { DataSource } from 'typeorm';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions, policiesPerPrincipal } from '../authorization.options';
import { Principals } from '../neighbours/principals';
import { changed, isTombstoned, lockPrincipal, rows } from '../persistence/sql';

const ATTACHED_POLICIES = new Listing<[seq: number]>('attached-policies', 1);
/** Groups (kind 0) before users (kind 1), each by name regardless of case. */
const POLICY_ENTITIES = new Listing<[kind: number, nameLower: string, id: string]>('policy-entities', 3);
import { AWS_ACCOUNT } from '../policies/aws-managed-policies';
import { findPolicy } from '../policies/policies.service';
import { parsePolicyArn, PolicyErrors } from '../policies/policy-arn';
import { noSuchPrincipal, PrincipalType, resolvePrincipal } from '../principals/named-principal';

/** Attachments of managed policies to users and groups. */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly db: DataSource,
    private readonly principals: Principals,
    private readonly clock: Clock,
    @Inject(AUTHORIZATION_OPTIONS) private readonly options: AuthorizationServiceOptions,
  ) {}

  private quota(type: PrincipalType): number {
    return policiesPerPrincipal(this.options, type);
  }

  /** Attaches a managed policy; attaching it again is not an error. */
  async attach(type: PrincipalType, name: string, policyArn: string): Promise<void> {
    parsePolicyArn(policyArn);
    const principal = await resolvePrincipal(this.principals, type, name);
    const limit = this.quota(type);
    await this.db.transaction(async (manager) => {
      await lockPrincipal(manager, principal.id);
      if (await isTombstoned(manager, principal.id)) throw noSuchPrincipal(type, name);
      const [policy] = await rows<{ policy_id: string }>(manager, 'SELECT policy_id FROM "authorization".policies WHERE arn = $1 FOR SHARE', [
        policyArn,
      ]);
      if (!policy) throw PolicyErrors.notAttachable(policyArn);
      const attached = await rows<{ policy_id: string }>(manager, 'SELECT policy_id FROM "authorization".attachments WHERE principal_id = $1', [
        principal.id,
      ]);
      if (attached.some((row) => row.policy_id === policy.policy_id)) return;
      if (attached.length >= limit) {
        throw new IamError('LimitExceeded', `Cannot exceed quota for ${type === 'user' ? 'PoliciesPerUser' : 'PoliciesPerGroup'}: ${limit}`);
      }
      await manager.query(
        'INSERT INTO "authorization".attachments (principal_id, principal_type, policy_id, attach_date) VALUES ($1, $2, $3, $4)',
        [principal.id, type, policy.policy_id, this.clock.now()],
      );
    });
  }

  /** Detaches a managed policy; one that is not attached answers `NoSuchEntity`. */
  async detach(type: PrincipalType, name: string, policyArn: string): Promise<void> {
    parsePolicyArn(policyArn);
    const principal = await resolvePrincipal(this.principals, type, name);
    const removed = await changed(
      this.db,
      `DELETE FROM "authorization".attachments a USING "authorization".policies p
        WHERE a.policy_id = p.policy_id AND a.principal_id = $1 AND p.arn = $2
        RETURNING a.policy_id`,
      [principal.id, policyArn],
    );
    if (removed.length === 0) throw PolicyErrors.notFound(policyArn);
  }

  async listAttached(type: PrincipalType, name: string, request: PageRequest & { PathPrefix?: string }): Promise<{ AttachedPolicies: AttachedPolicy[] } & Page> {
    const principal = await resolvePrincipal(this.principals, type, name);
    const page = ATTACHED_POLICIES.query(request);
    const found = await rows<{ name: string; arn: string; seq: string }>(
      this.db,
      `SELECT p.name, p.arn, a.seq FROM "authorization".attachments a
         JOIN "authorization".policies p ON p.policy_id = a.policy_id
        WHERE a.principal_id = $1 AND left(p.path, length($2)) = $2 AND ($3::bigint IS NULL OR a.seq > $3::bigint)
        ORDER BY a.seq LIMIT $4`,
      [principal.id, request.PathPrefix ?? '/', page.after?.[0] ?? null, page.limit],
    );
    const { items, page: shown } = ATTACHED_POLICIES.page(found, page, (row) => [Number(row.seq)]);
    return { AttachedPolicies: items.map((row) => ({ PolicyName: row.name, PolicyArn: row.arn })), ...shown };
  }

  async listEntities(request: ListEntitiesForPolicyRequest): Promise<ListEntitiesForPolicyReply> {
    const policy = await findPolicy(this.db, request.PolicyArn);
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
    const attached = await rows<{ principal_id: string; principal_type: PrincipalType }>(
      this.db,
      'SELECT principal_id, principal_type FROM "authorization".attachments WHERE policy_id = $1',
      [policy.policy_id],
    );
    const wantGroups = filter !== 'User';
    const wantUsers = filter !== 'Group';
    const groupIds = wantGroups ? attached.filter((row) => row.principal_type === 'group').map((row) => row.principal_id) : [];
    const userIds = wantUsers ? attached.filter((row) => row.principal_type === 'user').map((row) => row.principal_id) : [];
    const [users, groups] = await Promise.all([
      userIds.length > 0 ? this.principals.resolveUsers(userIds) : Promise.resolve([]),
      Promise.all(
        groupIds.map((id) =>
          this.principals.resolveGroupById(id).catch((error: unknown) => {
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
