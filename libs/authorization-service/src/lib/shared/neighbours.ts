import { Injectable } from '@nestjs/common';
import { BusClient, DirectoryPatterns, GroupRef, IdentityPatterns, ResolvedUser, UserNameKey, UsersInNameOrderReply } from '@iam/contracts';

/** How many ids one bulk request carries, so that no reply outgrows a bus message. */
export const BULK_CHUNK = 1000;

/** How many ids one request to check or page users by id carries (identity takes up to 10,000). */
export const IDS_CHUNK = 5000;

function chunks<T>(items: readonly T[], size = BULK_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Authorization's view of identity: users by name and in bulk by id. Each call
 * reads identity's committed state; nothing is cached here. Errors are
 * identity's (`NoSuchEntity` with its wording) or `ServiceUnavailable`.
 */
@Injectable()
export class IdentityUsers {
  constructor(private readonly bus: BusClient) {}

  /** The user of that name (case-insensitive), whatever its state. */
  byName(userName: string): Promise<ResolvedUser> {
    return this.bus.send(IdentityPatterns.ResolveUser, { UserName: userName });
  }

  /** The users of these ids that identity knows (unknown ids are left out), in requests of {@link BULK_CHUNK} ids. */
  async byIds(userIds: readonly string[]): Promise<ResolvedUser[]> {
    const replies = await Promise.all(chunks(userIds).map((UserIds) => this.bus.send(IdentityPatterns.ResolveUsers, { UserIds })));
    return replies.flatMap((reply) => reply.Users);
  }

  /**
   * At most `limit` users after `after` in identity's name order (lower-cased name, then id),
   * of `userIds` only when given (at most {@link IDS_CHUNK}); `IsTruncated` when more follow.
   */
  inNameOrder(query: { after?: UserNameKey; userIds?: readonly string[]; limit: number }): Promise<UsersInNameOrderReply> {
    return this.bus.send(IdentityPatterns.UsersInNameOrder, {
      ...(query.after ? { After: query.after } : {}),
      ...(query.userIds ? { UserIds: [...query.userIds] } : {}),
      Limit: query.limit,
    });
  }

  /** Of these ids, those identity does not know, in requests of {@link IDS_CHUNK} ids. */
  async unknown(userIds: readonly string[]): Promise<string[]> {
    const replies = await Promise.all(chunks(userIds, IDS_CHUNK).map((UserIds) => this.bus.send(IdentityPatterns.UnknownUsers, { UserIds })));
    return replies.flatMap((reply) => reply.UserIds);
  }
}

/**
 * Authorization's view of directory: groups and memberships. Each call reads
 * directory's committed state; nothing is cached here. Errors are directory's
 * (`NoSuchEntity` with its wording) or `ServiceUnavailable`.
 */
@Injectable()
export class DirectoryGroups {
  constructor(private readonly bus: BusClient) {}

  /** The group of that name (case-insensitive). */
  byName(groupName: string): Promise<GroupRef> {
    return this.bus.send(DirectoryPatterns.ResolveGroup, { GroupName: groupName });
  }

  /** The group of that id. */
  byId(groupId: string): Promise<GroupRef> {
    return this.bus.send(DirectoryPatterns.ResolveGroup, { GroupId: groupId });
  }

  /** The groups of a user, in directory's order; none for an unknown user. */
  async groupsOfUser(userId: string): Promise<GroupRef[]> {
    return (await this.bus.send(DirectoryPatterns.GroupsOfUser, { UserId: userId })).Groups;
  }

  /** The groups of each user (every requested id is a key), in requests of {@link BULK_CHUNK} ids. */
  async groupsOfUsers(userIds: readonly string[]): Promise<Record<string, GroupRef[]>> {
    const replies = await Promise.all(chunks(userIds).map((UserIds) => this.bus.send(DirectoryPatterns.GroupsOfUsers, { UserIds })));
    return Object.assign({}, ...replies.map((reply) => reply.Groups));
  }

  /** The member user ids of each existing group, in requests of {@link BULK_CHUNK} ids. */
  async membersOfGroups(groupIds: readonly string[]): Promise<Record<string, string[]>> {
    const replies = await Promise.all(chunks(groupIds).map((GroupIds) => this.bus.send(DirectoryPatterns.MembersOfGroups, { GroupIds })));
    return Object.assign({}, ...replies.map((reply) => reply.Members));
  }
}
