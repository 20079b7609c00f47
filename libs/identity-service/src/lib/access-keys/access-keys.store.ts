import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AccessKeyStatus, Tag } from '@iam/contracts';
import { Brackets, DataSource, EntityManager } from 'typeorm';
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

/** A use of a key, as recorded for `GetAccessKeyLastUsed`. */
export interface KeyUse {
  accessKeyId: string;
  at: Date;
  service: string;
  region: string;
}

/** A key's last use with its user's name and path, as `GetAccessKeyLastUsed` answers it. */
export interface KeyLastUse {
  name: string;
  path: string;
  lastUsedDate: Date | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
}

/** A key's sealed secret, as a change of master key reads it. */
export type SealedSecret = Pick<AccessKeyEntity, 'accessKeyId' | 'secretSealed'>;

/**
 * Access keys, keyed by access key id.
 *
 * - Not found: {@link withUser} and {@link lastUse} answer `null`, {@link setStatus} and
 *   {@link remove} `false` (also for a key of another user); the use case chooses the error. A
 *   use recorded for a key that is gone is dropped.
 * - Ordering: {@link pageOfUser} by creation date, then access key id (the `Marker` of
 *   ListAccessKeys); {@link sealedUnder} by access key id; otherwise none.
 * - Locking: {@link withUser} is one statement of committed state, read on every signature
 *   check so that a deactivated key is refused at once; {@link sealedUnder} locks the keys it
 *   reads `FOR UPDATE` until the caller's transaction ends. {@link countOfUser} and {@link add}
 *   take no lock of their own: they run in the caller's transaction under the user's row lock
 *   (`UsersStore.lockById`), which keeps a user within its quota of keys. {@link recordUses} keeps the latest
 *   use of each key without a lock (one conditional `UPDATE`: an older use never replaces a
 *   newer one).
 * - SQL text only for {@link recordUses}: one `UPDATE … FROM unnest(…)` for a whole batch.
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

  /** How many keys the user has, in `manager`'s transaction. */
  async countOfUser(manager: EntityManager, userId: string): Promise<number> {
    return manager.countBy(AccessKeyEntity, { userId });
  }

  async add(manager: EntityManager, key: AccessKeyEntity): Promise<void> {
    await manager.insert(AccessKeyEntity, key);
  }

  /** Up to `limit` of the user's keys that come after `after` in (creation date, access key id) order. */
  async pageOfUser(userId: string, after: { createDate: Date; accessKeyId: string } | undefined, limit: number): Promise<AccessKeyEntity[]> {
    const query = this.db.manager
      .createQueryBuilder(AccessKeyEntity, 'k')
      .where('k.user_id = :userId', { userId })
      .orderBy('k.createDate')
      .addOrderBy('k.accessKeyId')
      .limit(limit);
    if (after !== undefined) {
      const { createDate: date, accessKeyId: id } = after;
      query.andWhere(
        new Brackets((where) =>
          where.where('k.create_date > :date', { date }).orWhere('k.create_date = :date AND k.access_key_id > :id', { id }),
        ),
      );
    }
    return query.getMany();
  }

  /** Sets the status of the user's key; `false` when the user has no such key. */
  async setStatus(accessKeyId: string, userId: string, status: AccessKeyStatus): Promise<boolean> {
    const result = await this.db.manager.update(AccessKeyEntity, { accessKeyId, userId }, { status });
    return Boolean(result.affected);
  }

  /** Removes the user's key; `false` when the user has no such key. */
  async remove(accessKeyId: string, userId: string): Promise<boolean> {
    const result = await this.db.manager.delete(AccessKeyEntity, { accessKeyId, userId });
    return Boolean(result.affected);
  }

  /** The key's last use with its user, whatever the key's status. */
  async lastUse(accessKeyId: string): Promise<KeyLastUse | null> {
    const found = await this.db.manager
      .createQueryBuilder(AccessKeyEntity, 'k')
      .innerJoin(UserEntity, 'u', 'u.user_id = k.user_id')
      .select([
        'u.name AS name',
        'u.path AS path',
        'k.last_used_date AS "lastUsedDate"',
        'k.last_used_service AS "lastUsedService"',
        'k.last_used_region AS "lastUsedRegion"',
      ])
      .where('k.access_key_id = :accessKeyId', { accessKeyId })
      .getRawOne<KeyLastUse>();
    return found ?? null;
  }

  /** Whether the user has any access key, in `manager`'s transaction. */
  async anyOfUser(manager: EntityManager, userId: string): Promise<boolean> {
    return manager.existsBy(AccessKeyEntity, { userId });
  }

  /** Records the uses of keys (each key once), keeping a later use already recorded. */
  async recordUses(uses: readonly KeyUse[]): Promise<void> {
    await this.db.query(
      `UPDATE identity.access_keys k
       SET last_used_date = v.at, last_used_service = v.service, last_used_region = v.region
       FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) AS v(id, at, service, region)
       WHERE k.access_key_id = v.id AND (k.last_used_date IS NULL OR k.last_used_date < v.at)`,
      [uses.map((u) => u.accessKeyId), uses.map((u) => u.at), uses.map((u) => u.service), uses.map((u) => u.region)],
    );
  }

  /** How many secrets each master key seals, by master key id (those of `except` left out). */
  async secretsByMasterKey(except?: string): Promise<{ masterKeyId: string; secrets: number }[]> {
    const query = this.db.manager
      .createQueryBuilder(AccessKeyEntity, 'k')
      .select('k.master_key_id', 'masterKeyId')
      .addSelect('count(*)::int', 'secrets')
      .groupBy('k.master_key_id')
      .orderBy('k.master_key_id');
    if (except !== undefined) query.where('k.master_key_id <> :except', { except });
    return query.getRawMany();
  }

  /** Up to `limit` secrets sealed under `masterKeyId`, locked for update in `manager`'s transaction. */
  async sealedUnder(manager: EntityManager, masterKeyId: string, limit: number): Promise<SealedSecret[]> {
    return manager
      .createQueryBuilder(AccessKeyEntity, 'k')
      .select(['k.accessKeyId', 'k.secretSealed'])
      .where('k.master_key_id = :masterKeyId', { masterKeyId })
      .orderBy('k.access_key_id')
      .limit(limit)
      .setLock('pessimistic_write')
      .getMany();
  }

  /** Stores a key's secret sealed anew, in `manager`'s transaction. */
  async reseal(manager: EntityManager, accessKeyId: string, sealed: { sealed: Buffer; keyId: string }): Promise<void> {
    await manager.update(AccessKeyEntity, { accessKeyId }, { secretSealed: sealed.sealed, masterKeyId: sealed.keyId });
  }
}
