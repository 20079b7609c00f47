import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { GroupRef, ResolveGroupRequest } from '@iam/contracts';
import { DataSource } from 'typeorm';
import { DIRECTORY_SETTINGS, DirectorySettings } from '../directory.options';
import { DirectoryErrors } from '../shared/errors';
import { toGroupRef } from './group.view';

interface GroupRow {
  group_id: string;
  name: string;
  path: string;
}

/** Service-to-service reads: each one query, reading committed state, no cache. */
@Injectable()
export class GroupLookupsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(DIRECTORY_SETTINGS) private readonly settings: DirectorySettings,
  ) {}

  /** The decision path: one indexed query (memberships by user id, then groups by primary key). */
  async groupsOfUser(userId: string): Promise<GroupRef[]> {
    const rows: GroupRow[] = await this.db.query(
      `SELECT g.group_id, g.name, g.path
         FROM directory.memberships m
         JOIN directory.groups g ON g.group_id = m.group_id
        WHERE m.user_id = $1
        ORDER BY g.name_lower`,
      [userId],
    );
    return rows.map((row) => this.ref(row));
  }

  async groupsOfUsers(userIds: string[]): Promise<Record<string, GroupRef[]>> {
    const result: Record<string, GroupRef[]> = Object.create(null);
    for (const userId of userIds) result[userId] = [];
    if (userIds.length === 0) return result;
    const rows: Array<GroupRow & { user_id: string }> = await this.db.query(
      `SELECT m.user_id, g.group_id, g.name, g.path
         FROM directory.memberships m
         JOIN directory.groups g ON g.group_id = m.group_id
        WHERE m.user_id = ANY($1::text[])
        ORDER BY m.user_id, g.name_lower`,
      [[...new Set(userIds)]],
    );
    for (const row of rows) result[row.user_id].push(this.ref(row));
    return result;
  }

  async membersOfGroups(groupIds: string[]): Promise<Record<string, string[]>> {
    const result: Record<string, string[]> = Object.create(null);
    if (groupIds.length === 0) return result;
    const rows: Array<{ group_id: string; user_id: string | null }> = await this.db.query(
      `SELECT g.group_id, m.user_id
         FROM directory.groups g
         LEFT JOIN directory.memberships m ON m.group_id = g.group_id
        WHERE g.group_id = ANY($1::text[])
        ORDER BY g.group_id, m.user_id`,
      [[...new Set(groupIds)]],
    );
    for (const row of rows) {
      const members = (result[row.group_id] ??= []);
      if (row.user_id !== null) members.push(row.user_id);
    }
    return result;
  }

  /** A group by name (case-insensitive) or id; unknown → `NoSuchEntity`. */
  async resolve(request: ResolveGroupRequest): Promise<GroupRef> {
    const byName = 'GroupName' in request;
    const rows: GroupRow[] = await this.db.query(
      `SELECT group_id, name, path FROM directory.groups WHERE ${byName ? 'name_lower' : 'group_id'} = $1`,
      [byName ? request.GroupName.toLowerCase() : request.GroupId],
    );
    if (rows.length === 0) {
      throw byName ? DirectoryErrors.noSuchGroup(request.GroupName) : DirectoryErrors.noSuchGroupId(request.GroupId);
    }
    return this.ref(rows[0]);
  }

  private ref(row: GroupRow): GroupRef {
    return toGroupRef({ groupId: row.group_id, name: row.name, path: row.path }, this.settings.accountId);
  }
}
