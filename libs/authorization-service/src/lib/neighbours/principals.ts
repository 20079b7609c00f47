import { Injectable } from '@nestjs/common';
import { BusClient, DirectoryPatterns, GroupRef, IdentityPatterns, ResolvedUser } from '@iam/contracts';

/** How many ids one bulk request carries, so that no reply outgrows a bus message. */
export const BULK_CHUNK = 1000;

/**
 * What this service needs to know of users (identity) and groups
 * (directory). Each call reads the owner's committed state; nothing is
 * cached here. Errors are the owners' (`NoSuchEntity` with their wording) or
 * `ServiceUnavailable`.
 */
export abstract class Principals {
  /** A user by name (case-insensitive). */
  abstract resolveUser(userName: string): Promise<ResolvedUser>;
  /** A group by name (case-insensitive). */
  abstract resolveGroup(groupName: string): Promise<GroupRef>;
  /** A group by id. */
  abstract resolveGroupById(groupId: string): Promise<GroupRef>;
  /** The groups of a user, in directory's order; none for an unknown user. */
  abstract groupsOfUser(userId: string): Promise<GroupRef[]>;
  /** Users by id; unknown ids are left out. */
  abstract resolveUsers(userIds: readonly string[]): Promise<ResolvedUser[]>;
  /** The groups of each user (every requested id is a key). */
  abstract groupsOfUsers(userIds: readonly string[]): Promise<Record<string, GroupRef[]>>;
  /** The member user ids of each existing group. */
  abstract membersOfGroups(groupIds: readonly string[]): Promise<Record<string, string[]>>;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BULK_CHUNK) out.push(items.slice(i, i + BULK_CHUNK));
  return out;
}

/** {@link Principals} over the bus: identity's and directory's patterns. */
@Injectable()
export class BusPrincipals extends Principals {
  constructor(private readonly bus: BusClient) {
    super();
  }

  resolveUser(userName: string): Promise<ResolvedUser> {
    return this.bus.send(IdentityPatterns.ResolveUser, { UserName: userName });
  }

  resolveGroup(groupName: string): Promise<GroupRef> {
    return this.bus.send(DirectoryPatterns.ResolveGroup, { GroupName: groupName });
  }

  resolveGroupById(groupId: string): Promise<GroupRef> {
    return this.bus.send(DirectoryPatterns.ResolveGroup, { GroupId: groupId });
  }

  async groupsOfUser(userId: string): Promise<GroupRef[]> {
    return (await this.bus.send(DirectoryPatterns.GroupsOfUser, { UserId: userId })).Groups;
  }

  async resolveUsers(userIds: readonly string[]): Promise<ResolvedUser[]> {
    const replies = await Promise.all(chunks(userIds).map((UserIds) => this.bus.send(IdentityPatterns.ResolveUsers, { UserIds })));
    return replies.flatMap((reply) => reply.Users);
  }

  async groupsOfUsers(userIds: readonly string[]): Promise<Record<string, GroupRef[]>> {
    const replies = await Promise.all(chunks(userIds).map((UserIds) => this.bus.send(DirectoryPatterns.GroupsOfUsers, { UserIds })));
    return Object.assign({}, ...replies.map((reply) => reply.Groups));
  }

  async membersOfGroups(groupIds: readonly string[]): Promise<Record<string, string[]>> {
    const replies = await Promise.all(chunks(groupIds).map((GroupIds) => this.bus.send(DirectoryPatterns.MembersOfGroups, { GroupIds })));
    return Object.assign({}, ...replies.map((reply) => reply.Members));
  }
}
