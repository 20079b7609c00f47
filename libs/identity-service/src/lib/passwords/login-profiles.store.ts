import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { LoginProfileEntity } from './login-profile.entity';

/** A login profile with its user, as a sign-in checks it. */
export interface ProfileWithUser {
  user: Pick<UserEntity, 'userId' | 'name' | 'path' | 'tags'>;
  profile: Pick<LoginProfileEntity, 'passwordHash' | 'passwordChangedAt' | 'passwordResetRequired'>;
}

/** What an administrator's reset or a password change sets on a login profile. */
export type LoginProfileChanges = Partial<Pick<LoginProfileEntity, 'passwordHash' | 'passwordChangedAt' | 'passwordResetRequired'>>;

/**
 * Users' console passwords, one login profile per user id.
 *
 * - Not found: {@link find} and {@link ofActiveUser} answer `null`, {@link update} and {@link remove} `false`; the use
 *   case chooses the error. {@link add} lets a second profile of a user fail as a unique
 *   violation, which the use case answers as AWS does.
 * - Ordering: one row per user, none.
 * - Locking: none of its own; changes run in the caller's transaction under the user's row lock
 *   (`UsersService.lockByName`); {@link ofActiveUser} is one statement of committed state. {@link rehash} changes the hash only if it is still the one
 *   read, so a password set meanwhile is never replaced.
 */
@Injectable()
export class LoginProfilesStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async exists(userId: string, manager: EntityManager = this.db.manager): Promise<boolean> {
    return manager.existsBy(LoginProfileEntity, { userId });
  }

  async find(userId: string): Promise<LoginProfileEntity | null> {
    return this.db.manager.findOneBy(LoginProfileEntity, { userId });
  }

  /** The login profile of the `active` user named `name` regardless of case, with the user. */
  async ofActiveUser(name: string): Promise<ProfileWithUser | null> {
    const found = await this.db.manager
      .createQueryBuilder(UserEntity, 'u')
      .innerJoin(LoginProfileEntity, 'lp', 'lp.user_id = u.user_id')
      .select([
        'u.user_id AS "userId"',
        'u.name AS name',
        'u.path AS path',
        'u.tags AS tags',
        'lp.password_hash AS "passwordHash"',
        'lp.password_changed_at AS "passwordChangedAt"',
        'lp.password_reset_required AS "passwordResetRequired"',
      ])
      .where('u.name_lower = :nameLower', { nameLower: name.toLowerCase() })
      .andWhere("u.state = 'active'")
      .getRawOne<ProfileWithUser['user'] & ProfileWithUser['profile']>();
    if (!found) return null;
    const { userId, name: userName, path, tags, passwordHash, passwordChangedAt, passwordResetRequired } = found;
    return { user: { userId, name: userName, path, tags }, profile: { passwordHash, passwordChangedAt, passwordResetRequired } };
  }

  async add(manager: EntityManager, profile: LoginProfileEntity): Promise<void> {
    await manager.insert(LoginProfileEntity, profile);
  }

  /** Changes the user's profile; `false` when the user has none. */
  async update(manager: EntityManager, userId: string, changes: LoginProfileChanges): Promise<boolean> {
    const result = await manager.update(LoginProfileEntity, { userId }, changes);
    return Boolean(result.affected);
  }

  /** Removes the user's profile; `false` when the user has none. */
  async remove(manager: EntityManager, userId: string): Promise<boolean> {
    const result = await manager.delete(LoginProfileEntity, { userId });
    return Boolean(result.affected);
  }

  /** Replaces the password's hash `from` by `to` (a stronger hash of the same password). */
  async rehash(manager: EntityManager, userId: string, from: string, to: string): Promise<void> {
    await manager.update(LoginProfileEntity, { userId, passwordHash: from }, { passwordHash: to });
  }
}
