import { Injectable } from '@nestjs/common';
import { AuthorizationPatterns, BusClient, DirectoryPatterns } from '@iam/contracts';

/**
 * Identity's view of directory: its side of the DeleteUser protocol. Errors
 * are directory's or `ServiceUnavailable`; the caller decides what they mean.
 */
@Injectable()
export class DirectoryUsers {
  constructor(private readonly bus: BusClient) {}

  /** From now on directory refuses to add the user to a group; answers how many memberships remain. */
  async beginUserDelete(userId: string): Promise<number> {
    return (await this.bus.send(DirectoryPatterns.BeginUserDelete, { UserId: userId })).MembershipCount;
  }

  /** Undoes {@link beginUserDelete}. */
  async cancelUserDelete(userId: string): Promise<void> {
    await this.bus.send(DirectoryPatterns.CancelUserDelete, { UserId: userId });
  }
}

export interface PolicyCounts {
  attached: number;
  inline: number;
}

/**
 * Identity's view of authorization: its side of the DeleteUser protocol.
 * Errors are authorization's or `ServiceUnavailable`; the caller decides what
 * they mean.
 */
@Injectable()
export class AuthorizationPrincipals {
  constructor(private readonly bus: BusClient) {}

  /** From now on authorization refuses to attach or put policies on the user; answers how many remain. */
  async beginUserDelete(userId: string): Promise<PolicyCounts> {
    const reply = await this.bus.send(AuthorizationPatterns.BeginPrincipalDelete, { PrincipalType: 'user', PrincipalId: userId });
    return { attached: reply.AttachedPolicyCount, inline: reply.InlinePolicyCount };
  }

  /** Undoes {@link beginUserDelete}. */
  async cancelUserDelete(userId: string): Promise<void> {
    await this.bus.send(AuthorizationPatterns.CancelPrincipalDelete, { PrincipalType: 'user', PrincipalId: userId });
  }
}
