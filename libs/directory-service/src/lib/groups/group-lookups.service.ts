import { Inject, Injectable } from '@nestjs/common';
import { GroupRef, ResolveGroupRequest } from '@iam/contracts';
import { DIRECTORY_SETTINGS, DirectorySettings } from '../directory.options';
import { DirectoryErrors } from '../shared/errors';
import { toGroupRef } from './group.view';
import { GroupRefRow, GroupsStore } from './groups.store';

/** Service-to-service reads: each one query, reading committed state, no cache. */
@Injectable()
export class GroupLookupsService {
  constructor(
    private readonly store: GroupsStore,
    @Inject(DIRECTORY_SETTINGS) private readonly settings: DirectorySettings,
  ) {}

  /** The decision path: one indexed query (memberships by user id, then groups by primary key). */
  async groupsOfUser(userId: string): Promise<GroupRef[]> {
    return (await this.store.groupsOfUser(userId)).map((row) => this.ref(row));
  }

  async groupsOfUsers(userIds: string[]): Promise<Record<string, GroupRef[]>> {
    const result: Record<string, GroupRef[]> = Object.create(null);
    for (const userId of userIds) result[userId] = [];
    if (userIds.length === 0) return result;
    for (const row of await this.store.groupsOfUsers([...new Set(userIds)])) result[row.userId].push(this.ref(row));
    return result;
  }

  async membersOfGroups(groupIds: string[]): Promise<Record<string, string[]>> {
    const result: Record<string, string[]> = Object.create(null);
    if (groupIds.length === 0) return result;
    for (const [groupId, members] of await this.store.membersOfGroups([...new Set(groupIds)])) result[groupId] = members;
    return result;
  }

  /** A group by name (case-insensitive) or id; unknown → `NoSuchEntity`. */
  async resolve(request: ResolveGroupRequest): Promise<GroupRef> {
    if ('GroupName' in request) {
      const group = await this.store.findByName(request.GroupName);
      if (!group) throw DirectoryErrors.noSuchGroup(request.GroupName);
      return this.ref(group);
    }
    const group = await this.store.findById(request.GroupId);
    if (!group) throw DirectoryErrors.noSuchGroupId(request.GroupId);
    return this.ref(group);
  }

  private ref(row: GroupRefRow): GroupRef {
    return toGroupRef(row, this.settings.accountId);
  }
}
