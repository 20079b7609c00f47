import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CreateGroupRequest,
  DeleteGroupRequest,
  DirectoryAccountSummary,
  DirectoryEvents,
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
import { DirectoryErrors } from '../shared/errors';
import { DirectoryEventPublisher } from '../shared/event-publisher';
import { lockGroupCount } from '../shared/locks';
import { AuthorizationPrincipals, IdentityUser, IdentityUsers } from '../shared/neighbours';
import { GroupEntity } from './group.entity';
import { isBeingDeleted, toGroup } from './group.view';
import { GroupLock, GroupsStore } from './groups.store';

const GROUPS = new Listing<[nameLower: string]>('groups', 1);
const MEMBERS = new Listing<[userId: string]>('members', 1);

/** Use cases on groups: create, get with members, list, update, delete. */
@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: GroupsStore,
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
        if (await this.store.nameTaken(manager, entity.nameLower)) throw DirectoryErrors.groupExists(request.GroupName);
        if ((await this.store.count(manager)) >= this.settings.groupsPerAccount) {
          throw DirectoryErrors.groupsPerAccount(this.settings.groupsPerAccount);
        }
        await this.store.create(manager, entity);
      });
    } catch (error) {
      // A rename (not under the creation lock) may have taken the name meanwhile.
      if (isUniqueViolation(error)) throw DirectoryErrors.groupExists(request.GroupName);
      throw error;
    }
    await this.events.publish(DirectoryEvents.GroupCreated, { GroupId: entity.groupId, GroupName: entity.name, Path: entity.path });
    return toGroup(entity, this.settings.accountId);
  }

  async get(request: GetGroupRequest): Promise<GetGroupReply> {
    const query = MEMBERS.query(request);
    const group = await this.byName(request.GroupName);
    const memberIds = await this.store.memberIds(group.groupId, query.after?.[0], query.limit);
    const { items, page } = MEMBERS.page(memberIds, query, (userId) => [userId]);
    const users = await this.identity.byIds(items);
    const members = items.flatMap((userId) => {
      const user = users.get(userId);
      return user ? [toAwsUser(user)] : [];
    });
    return { Group: toGroup(group, this.settings.accountId), Users: members, ...page };
  }

  async list(request: ListGroupsRequest): Promise<GroupsPage> {
    const query = GROUPS.query(request);
    const rows = await this.store.page(request.PathPrefix ?? '/', query.after?.[0], query.limit);
    const { items, page } = GROUPS.page(rows, query, (row) => [row.nameLower]);
    return { Groups: items.map((row) => toGroup(row, this.settings.accountId)), ...page };
  }

  async update(request: UpdateGroupRequest): Promise<void> {
    const now = this.clock.now();
    let updated: GroupEntity | undefined;
    try {
      updated = await this.db.transaction(async (manager) => {
        const group = await this.byName(request.GroupName, manager, 'update');
        if (isBeingDeleted(group, now)) throw DirectoryErrors.groupBeingDeleted(group.name);
        const name = request.NewGroupName ?? group.name;
        const path = request.NewPath ?? group.path;
        if (name === group.name && path === group.path) return undefined;
        await this.store.rename(manager, group.groupId, name, path);
        return { ...group, name, nameLower: name.toLowerCase(), path };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw DirectoryErrors.groupExists(request.NewGroupName ?? request.GroupName);
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
      const found = await this.byName(request.GroupName, manager, 'update');
      if (isBeingDeleted(found, now)) throw DirectoryErrors.groupBeingDeleted(found.name);
      if (await this.store.hasMembers(manager, found.groupId)) throw DirectoryErrors.deleteConflict('memberships');
      await this.store.markForDelete(manager, found.groupId, token, new Date(now.getTime() + this.settings.deleteLeaseMs));
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
      throw counts.attached > 0 ? DirectoryErrors.deleteConflict('attached policies') : DirectoryErrors.deleteConflict('inline policies');
    }

    const outcome = await this.db.transaction(async (manager) => {
      const current = await this.store.findById(group.groupId, manager, 'update');
      if (!current) return 'gone' as const;
      if (current.deleteToken !== token) return 'taken-over' as const;
      if (await this.store.hasMembers(manager, group.groupId)) return 'members' as const;
      await this.store.delete(manager, group.groupId);
      return 'deleted' as const;
    });
    switch (outcome) {
      case 'deleted':
        await this.events.publish(DirectoryEvents.GroupDeleted, { GroupId: group.groupId, GroupName: group.name });
        return;
      case 'members':
        // Only possible when our mark lapsed (a delete slower than the lease) and an add came in.
        await this.callOff(group.groupId, token);
        throw DirectoryErrors.deleteConflict('memberships');
      case 'taken-over':
        // Our mark lapsed and another delete of the group owns both marks now.
        throw DirectoryErrors.groupBeingDeleted(group.name);
      case 'gone':
        throw DirectoryErrors.noSuchGroup(request.GroupName);
    }
  }

  /** Takes back both marks of a delete that does not go ahead. */
  private async callOff(groupId: string, token: string): Promise<void> {
    await this.authorization.cancelGroupDelete(groupId);
    await this.store.unmarkForDelete(groupId, token);
  }

  /** The group of that name (case-insensitive), or `NoSuchEntity`. */
  private async byName(name: string, manager?: EntityManager, lock?: GroupLock): Promise<GroupEntity> {
    const group = await this.store.findByName(name, manager, lock);
    if (!group) throw DirectoryErrors.noSuchGroup(name);
    return group;
  }
}

/** A member in AWS's `User` shape (GetGroup lists no tags). */
function toAwsUser(user: IdentityUser): GroupMember {
  const shaped: GroupMember = { Path: user.Path, UserName: user.UserName, UserId: user.UserId, Arn: user.Arn, CreateDate: user.CreateDate };
  if (user.PasswordLastUsed !== undefined) shaped.PasswordLastUsed = user.PasswordLastUsed;
  return shaped;
}
