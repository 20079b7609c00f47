import { Arns, RootPrincipal, UserPrincipal } from '@iam/contracts';
import type { UserEntity } from '../users/user.entity';

/** The principal an authenticated IAM user acts as. */
export function userPrincipal(accountId: string, user: Pick<UserEntity, 'userId' | 'name' | 'path' | 'tags'>): UserPrincipal {
  return {
    Type: 'user',
    AccountId: accountId,
    UserId: user.userId,
    UserName: user.name,
    Path: user.path,
    Arn: Arns.user(accountId, user.path, user.name),
    Tags: user.tags,
  };
}

/** The account's root principal. */
export function rootPrincipal(accountId: string): RootPrincipal {
  return { Type: 'root', AccountId: accountId, UserId: accountId, Arn: Arns.root(accountId), Tags: [] };
}
