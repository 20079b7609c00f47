import { DirectoryGroups, IdentityUsers } from '../shared/neighbours';
import { AuthorizationErrors } from '../shared/errors';

export type PrincipalType = 'user' | 'group';

/** A user or group by its immutable id, with the name and path its owner knows it by. */
export interface NamedPrincipal {
  readonly type: PrincipalType;
  readonly id: string;
  readonly name: string;
  readonly path: string;
}

/** The owner's `NoSuchEntity` for a user or group of that name. */
export const noSuchPrincipal = AuthorizationErrors.noSuchPrincipal;

/**
 * Resolves a user (identity) or a group (directory) by name. A user being
 * deleted counts as unknown. Never called inside a transaction.
 */
export async function resolvePrincipal(users: IdentityUsers, groups: DirectoryGroups, type: PrincipalType, name: string): Promise<NamedPrincipal> {
  if (type === 'user') {
    const user = await users.byName(name);
    if (user.State !== 'active') throw AuthorizationErrors.noSuchUser(name);
    return { type, id: user.UserId, name: user.UserName, path: user.Path };
  }
  const group = await groups.byName(name);
  return { type, id: group.GroupId, name: group.GroupName, path: group.Path };
}
