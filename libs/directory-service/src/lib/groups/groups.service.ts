import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CreateGroupRequest,
  DeleteGroupRequest,
  DirectoryAccountSummary,
  DirectoryEvents,
  Errors,
  GetGroupReply,
  Group,
  GroupsPage,
  ListGroupsRequest,
  GetGroupRequest,
  UpdateGroupRequest,
  GroupMember,
} from '@iam/contracts';
import { Clock, IdGenerator, isUniqueViolation, Listing } from '@iam/platform';
import { DataSource, EntityManager } from 'typeorm';
import { DIRECTORY_SETTINGS, DirectorySettings } from '../directory.options';
import { MembershipEntity } from '../memberships/membership.entity';
import { DirectoryErrors } from '../shared/directory-errors';
import { DirectoryEventPublisher } from '../shared/event-publisher';
import { lockGroupCount } from '../shared/locks';
import { AuthorizationPrincipals, IdentityUser, IdentityUsers } from '../shared/neighbours';
import { GroupEntity } from './group.entity';
import { isBeingDeleted, toGroup } from './group.view';

const GROUPS = new Listing<[nameLower: string]>('groups', 1);
const MEMBERS = new Listing<[userId: string]>('members', 1);

/** Use cases on groups: create, get with members, list, update, delete. */
@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(DIRECTORY_SETTINGS) private readonly settings: DirectorySettings,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly events: DirectoryEventPublisher,
    private readonly identity: IdentityUsers,
    private readonly authorization: AuthorizationPrincipals,
  ) {}

  /** Directory's part of `GetAccountSummary`: the groups, in one `count(*)`, and the quotas it enforces. */
  async accountSummary(): Promise<DirectoryAccountSummary> {
    return {
      Groups: await this.db.getRepository(GroupEntity).count(),
      GroupsQuota: this.settings.groupsPerAccount,
      GroupsPerUserQuota: this.settings.groupsPerUser,
    };
  }

  async create(request: CreateGroupRequest): Promise<Group> {
    const entity: GroupEntity = {
      groupId: this.ids.next('AGPA'),
      name: request.GroupName,
      nameLower: request.GroupName.toLowerCase(),
      path: request.Path ?? '/',
      createDate: this.clock.now(),
      state: 'active',
      deleteToken: null,
      deletingUntil: null,
    };
    try {
      await this.db.transaction(async (manager) => {
        await lockGroupCount(manager);
        if (await manager.existsBy(GroupEntity, { nameLower: entity.nameLower })) throw Errors.groupExists(request.GroupName);
        if ((await manager.count(GroupEntity)) >= this.settings.groupsPerAccount) {
          throw DirectoryErrors.groupsPerAccount(this.settings.groupsPerAccount);
        }
        await manager.insert(GroupEntity, entity);
      });
    } catch (error) {
      // A rename (not under the creation lock) may have taken the name meanwhile.
      if (isUniqueViolation(error)) throw Errors.groupExists(request.GroupName);
      throw error;
    }
    await this.events.publish(DirectoryEvents.GroupCreated, { GroupId: entity.groupId, GroupName: entity.name, Path: entity.path });
    return toGroup(entity, this.settings.accountId);
  }

  async get(request: GetGroupRequest): Promise<GetGroupReply> {
    const query = MEMBERS.query(request);
    const group = await this.byName(this.db.manager, request.GroupName);
    const rows = await this.db.manager
      .createQueryBuilder(MembershipEntity, 'm')
      .select('m.user_id', 'userId')
      .where('m.group_id = :groupId', { groupId: group.groupId })
      .andWhere(query.after === undefined ? 'TRUE' : 'm.user_id > :after', { after: query.after?.[0] })
      .orderBy('m.user_id', 'ASC')
      .limit(query.limit)
      .getRawMany<{ userId: string }>();
    const { items, page } = MEMBERS.page(rows, query, (row) => [row.userId]);
    const users = await this.identity.byIds(items.map((row) => row.userId));
    const members = items.flatMap((row) => {
      const user = users.get(row.userId);
      return user ? [toAwsUser(user)] : [];
    });
    return { Group: toGroup(group, this.settings.accountId), Users: members, ...page };
  }

  async list(request: ListGroupsRequest): Promise<GroupsPage> {
    const query = GROUPS.query(request);
    const rows = await this.db.manager
      .createQueryBuilder(GroupEntity, 'g')
      .where('starts_with(g.path, :prefix)', { prefix: request.PathPrefix ?? '/' })
      .andWhere(query.after === undefined ? 'TRUE' : 'g.name_lower > :after', { after: query.after?.[0] })
      .orderBy('g.name_lower', 'ASC')
      .limit(query.limit)
      .getMany();
    const { items, page } = GROUPS.page(rows, query, (row) => [row.nameLower]);
    return { Groups: items.map((row) => toGroup(row, this.settings.accountId)), ...page };
  }

  async update(request: UpdateGroupRequest): Promise<void> {
    const now = this.clock.now();
    let updated: GroupEntity | undefined;
    try {
      updated = await this.db.transaction(async (manager) => {
        const group = await this.byName(manager, request.GroupName, 'pessimistic_write');
        if (isBeingDeleted(group, now)) throw DirectoryErrors.groupBeingDeleted(group.name);
        const name = request.NewGroupName ?? group.name;
        const path = request.NewPath ?? group.path;
        if (name === group.name && path === group.path) return undefined;
        await manager.update(GroupEntity, { groupId: group.groupId }, { name, nameLower: name.toLowerCase(), path });
        return { ...group, name, nameLower: name.toLowerCase(), path };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw Errors.groupExists(request.NewGroupName ?? request.GroupName);
      throw error;
    }
    if (updated) {
      await this.events.publish(DirectoryEvents.GroupUpdated, { GroupId: updated.groupId, GroupName: updated.name, Path: updated.path });
    }
  }

  /**
   * AWS `DeleteGroup`, in three steps so that no bus call runs inside a
   * transaction: (1) mark the group as being deleted if it has no members
   * (from then on adds are refused); (2) ask authorization to begin the
   * policy side and count the policies; (3) delete the row if it still has no
   * members. Any refusal after (1) takes the marks back on both sides.
   */
  async delete(request: DeleteGroupRequest): Promise<void> {
    const now = this.clock.now();
    const token = this.ids.next('D', 24);
    const group = await this.db.transaction(async (manager) => {
      const found = await this.byName(manager, request.GroupName, 'pessimistic_write');
      if (isBeingDeleted(found, now)) throw DirectoryErrors.groupBeingDeleted(found.name);
      if (await manager.existsBy(MembershipEntity, { groupId: found.groupId })) throw DirectoryErrors.membersRemain();
      await manager.update(
        GroupEntity,
        { groupId: found.groupId },
        { state: 'deleting', deleteToken: token, deletingUntil: new Date(now.getTime() + this.settings.deleteLeaseMs) },
      );
      return found;
    });

    let counts: { attached: number; inline: number };
    try {
      counts = await this.authorization.beginGroupDelete(group.groupId);
    } catch (error) {
      await this.callOff(group.groupId, token);
      throw error;
    }
    if (counts.attached > 0 || counts.inline > 0) {
      await this.callOff(group.groupId, token);
      throw counts.attached > 0 ? DirectoryErrors.attachedPoliciesRemain() : DirectoryErrors.inlinePoliciesRemain();
    }

    const outcome = await this.db.transaction(async (manager) => {
      const current = await manager.findOne(GroupEntity, { where: { groupId: group.groupId }, lock: { mode: 'pessimistic_write' } });
      if (!current) return 'gone' as const;
      if (current.deleteToken !== token) return 'taken-over' as const;
      if (await manager.existsBy(MembershipEntity, { groupId: group.groupId })) return 'members' as const;
      await manager.delete(GroupEntity, { groupId: group.groupId });
      return 'deleted' as const;
    });
    switch (outcome) {
      case 'deleted':
        await this.events.publish(DirectoryEvents.GroupDeleted, { GroupId: group.groupId, GroupName: group.name });
        return;
      case 'members':
        // Only possible when our mark lapsed (a delete slower than the lease) and an add came in.
        await this.callOff(group.groupId, token);
        throw DirectoryErrors.membersRemain();
      case 'taken-over':
        // Our mark lapsed and another delete of the group owns both marks now.
        throw DirectoryErrors.groupBeingDeleted(group.name);
      case 'gone':
        throw Errors.noSuchGroup(request.GroupName);
    }
  }

  /** Takes back both marks of a delete that does not go ahead. */
  private async callOff(groupId: string, token: string): Promise<void> {
    await this.authorization.cancelGroupDelete(groupId);
    await this.db.manager.update(
      GroupEntity,
      { groupId, deleteToken: token },
      { state: 'active', deleteToken: null, deletingUntil: null },
    );
  }

  /** The group of that name (case-insensitive), or `NoSuchEntity`. */
  private async byName(manager: EntityManager, name: string, lock?: 'pessimistic_write' | 'pessimistic_read'): Promise<GroupEntity> {
    const group = await manager.findOne(GroupEntity, { where: { nameLower: name.toLowerCase() }, ...(lock ? { lock: { mode: lock } } : {}) });
    if (!group) throw Errors.noSuchGroup(name);
    return group;
  }
}

/** A member in AWS's `User` shape (GetGroup lists no tags). */
function toAwsUser(user: IdentityUser): GroupMember {
  const shaped: GroupMember = { Path: user.Path, UserName: user.UserName, UserId: user.UserId, Arn: user.Arn, CreateDate: user.CreateDate };
  if (user.PasswordLastUsed !== undefined) shaped.PasswordLastUsed = user.PasswordLastUsed;
  return shaped;
}
