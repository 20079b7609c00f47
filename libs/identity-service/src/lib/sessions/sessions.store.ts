import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Tag } from '@iam/contracts';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { LoginProfileEntity } from '../passwords/login-profile.entity';
import { PasswordPolicyEntity } from '../passwords/password-policy.entity';
import { UserEntity } from '../users/user.entity';
import { SessionEntity } from './session.entity';

/**
 * A session with what `VerifySession` needs of its principal: for a user's session, the user (if
 * it still exists), its login profile (if it still has one) and the policy's `MaxPasswordAge`.
 */
export interface SessionWithPrincipal {
  principalType: 'user' | 'root';
  expiresAt: Date;
  userId: string | null;
  name: string | null;
  path: string | null;
  tags: Tag[] | null;
  passwordResetRequired: boolean | null;
  passwordChangedAt: Date | null;
  maxPasswordAge: number | null;
}

/**
 * Console sessions, keyed by the SHA-256 of their token.
 *
 * - Not found: {@link withPrincipal} answers `null`; ending a session that is gone does nothing.
 * - Ordering: none.
 * - Locking: none of its own; {@link withPrincipal} is one statement of committed state. A
 *   user's sessions start and end in the caller's transaction, under the user's row lock where the
 *   use case takes it.
 */
@Injectable()
export class SessionsStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The session whose token has the SHA-256 `tokenHash`, with its principal, whether expired or not. */
  async withPrincipal(tokenHash: string): Promise<SessionWithPrincipal | null> {
    const found = await this.db.manager
      .createQueryBuilder(SessionEntity, 's')
      .leftJoin(UserEntity, 'u', 'u.user_id = s.user_id')
      .leftJoin(LoginProfileEntity, 'lp', 'lp.user_id = s.user_id')
      .leftJoin(PasswordPolicyEntity, 'p', 'p.id = 1')
      .select([
        's.principal_type AS "principalType"',
        's.expires_at AS "expiresAt"',
        's.user_id AS "userId"',
        'u.name AS name',
        'u.path AS path',
        'u.tags AS tags',
        'lp.password_reset_required AS "passwordResetRequired"',
        'lp.password_changed_at AS "passwordChangedAt"',
        'p.max_password_age AS "maxPasswordAge"',
      ])
      .where('s.token_hash = :tokenHash', { tokenHash })
      .getRawOne<SessionWithPrincipal>();
    return found ?? null;
  }

  async start(manager: EntityManager, session: SessionEntity): Promise<void> {
    await manager.insert(SessionEntity, session);
  }

  /** Ends the session whose token has the SHA-256 `tokenHash`. */
  async end(tokenHash: string): Promise<void> {
    await this.db.manager.delete(SessionEntity, { tokenHash });
  }

  /** Forgets the user's sessions that expired before `now`. */
  async forgetExpiredOf(manager: EntityManager, userId: string, now: Date): Promise<void> {
    await manager.delete(SessionEntity, { userId, expiresAt: LessThan(now) });
  }

  /** Forgets every session that expired before `before`. */
  async forgetExpiredBefore(before: Date): Promise<void> {
    await this.db.manager.delete(SessionEntity, { expiresAt: LessThan(before) });
  }

  /** Ends every console session of the user. */
  async endAllOf(manager: EntityManager, userId: string): Promise<void> {
    await manager.delete(SessionEntity, { userId });
  }
}
