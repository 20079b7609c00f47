import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AccessKeyStatus, Tag } from '@iam/contracts';
import { DataSource } from 'typeorm';
import { UserEntity, UserState } from '../users/user.entity';
import { AccessKeyEntity } from './access-key.entity';

/** An access key with its user, as a signature check reads it. */
export interface KeyWithUser {
  status: AccessKeyStatus;
  secretSealed: Buffer;
  masterKeyId: string;
  userId: string;
  name: string;
  path: string;
  tags: Tag[];
  state: UserState;
}

/**
 * Access keys, keyed by access key id.
 *
 * - Not found: {@link withUser} answers `null`; the use case chooses the error.
 * - Ordering: none (single keys only).
 * - Locking: none; {@link withUser} is one statement of committed state, read on every
 *   signature check so that a deactivated key is refused at once.
 */
@Injectable()
export class AccessKeysStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The key, whatever its status, with its user whatever the user's state. */
  async withUser(accessKeyId: string): Promise<KeyWithUser | null> {
    const found = await this.db.manager
      .createQueryBuilder(AccessKeyEntity, 'k')
      .innerJoin(UserEntity, 'u', 'u.user_id = k.user_id')
      .select([
        'k.status AS status',
        'k.secret_sealed AS "secretSealed"',
        'k.master_key_id AS "masterKeyId"',
        'u.user_id AS "userId"',
        'u.name AS name',
        'u.path AS path',
        'u.tags AS tags',
        'u.state AS state',
      ])
      .where('k.access_key_id = :accessKeyId', { accessKeyId })
      .getRawOne<KeyWithUser>();
    return found ?? null;
  }
}
