import { Injectable, Logger } from '@nestjs/common';
import { AuthorizationPatterns, BusClient, IamError, IdentityPatterns, ResolvedUser } from '@iam/contracts';
import { DirectoryErrors } from './errors';

/** A user as identity resolves it. */
export type IdentityUser = ResolvedUser;

/** The directory's view of identity: users by name and in bulk by id. */
@Injectable()
export class IdentityUsers {
  constructor(private readonly bus: BusClient) {}

  /**
   * The user of that name (case-insensitive). Unknown → `NoSuchEntity` with
   * AWS's wording for the name given; identity unreachable → `ServiceUnavailable`.
   */
  async byName(name: string): Promise<IdentityUser> {
    try {
      return await this.bus.send(IdentityPatterns.ResolveUser, { UserName: name });
    } catch (error) {
      if (error instanceof IamError && error.code === 'NoSuchEntity') throw DirectoryErrors.noSuchUser(name);
      throw error;
    }
  }

  /** The users of these ids that identity knows, in one call, by id. */
  async byIds(userIds: string[]): Promise<Map<string, IdentityUser>> {
    if (userIds.length === 0) return new Map();
    const { Users } = await this.bus.send(IdentityPatterns.ResolveUsers, { UserIds: userIds });
    return new Map(Users.map((user): [string, IdentityUser] => [user.UserId, user]));
  }
}

export interface PolicyCounts {
  attached: number;
  inline: number;
}

/** The directory's view of authorization: the delete protocol for a group's policies. */
@Injectable()
export class AuthorizationPrincipals {
  private readonly logger = new Logger(AuthorizationPrincipals.name);

  constructor(private readonly bus: BusClient) {}

  /**
   * From now on authorization refuses to attach or put policies on the group,
   * and tells how many remain. Any failure → `ServiceUnavailable`.
   */
  async beginGroupDelete(groupId: string): Promise<PolicyCounts> {
    try {
      const reply = await this.bus.send(AuthorizationPatterns.BeginPrincipalDelete, { PrincipalType: 'group', PrincipalId: groupId });
      return { attached: reply.AttachedPolicyCount, inline: reply.InlinePolicyCount };
    } catch (error) {
      if (error instanceof IamError && error.code === 'ServiceUnavailable') throw error;
      const why = error instanceof IamError ? `it answered ${error.code}` : 'it gave no usable answer';
      throw DirectoryErrors.unavailable('authorization', why);
    }
  }

  /** Undoes {@link beginGroupDelete}; a failure is logged (authorization keeps refusing new policies on the group). */
  async cancelGroupDelete(groupId: string): Promise<void> {
    try {
      await this.bus.send(AuthorizationPatterns.CancelPrincipalDelete, { PrincipalType: 'group', PrincipalId: groupId });
    } catch (error) {
      this.logger.warn(`Could not cancel the policy delete of group ${groupId}: ${(error as Error).message}`);
    }
  }
}
