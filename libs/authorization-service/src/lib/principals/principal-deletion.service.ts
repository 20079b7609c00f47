import { Injectable } from '@nestjs/common';
import { PrincipalRef } from '@iam/contracts';
import { Clock } from '@iam/platform';
import { DataSource } from 'typeorm';
import { lockPrincipal, rows } from '../persistence/sql';

/**
 * The authorization side of deleting a user or a group: a tombstone that
 * stops new attachments and inline policies (serialized with them on the
 * principal id), and the cleanup once the principal is gone.
 */
@Injectable()
export class PrincipalDeletionService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async begin(ref: PrincipalRef): Promise<{ AttachedPolicyCount: number; InlinePolicyCount: number }> {
    return this.db.transaction(async (manager) => {
      await lockPrincipal(manager, ref.PrincipalId);
      await manager.query(
        `INSERT INTO "authorization".principal_tombstones (principal_id, principal_type, create_date)
         VALUES ($1, $2, $3) ON CONFLICT (principal_id) DO NOTHING`,
        [ref.PrincipalId, ref.PrincipalType, this.clock.now()],
      );
      const [counts] = await rows<{ attached: number; inline: number }>(
        manager,
        `SELECT (SELECT count(*)::int FROM "authorization".attachments WHERE principal_id = $1) AS attached,
                (SELECT count(*)::int FROM "authorization".inline_policies WHERE principal_id = $1) AS inline`,
        [ref.PrincipalId],
      );
      return { AttachedPolicyCount: counts.attached, InlinePolicyCount: counts.inline };
    });
  }

  async cancel(ref: PrincipalRef): Promise<void> {
    await this.db.transaction(async (manager) => {
      await lockPrincipal(manager, ref.PrincipalId);
      await manager.query('DELETE FROM "authorization".principal_tombstones WHERE principal_id = $1', [ref.PrincipalId]);
    });
  }

  /**
   * Drops what is keyed by a principal that no longer exists. Idempotent; the
   * tombstone stays, so nothing can be attached to the id afterwards.
   */
  async forget(ref: PrincipalRef): Promise<void> {
    await this.db.transaction(async (manager) => {
      await lockPrincipal(manager, ref.PrincipalId);
      await manager.query(
        `INSERT INTO "authorization".principal_tombstones (principal_id, principal_type, create_date)
         VALUES ($1, $2, $3) ON CONFLICT (principal_id) DO NOTHING`,
        [ref.PrincipalId, ref.PrincipalType, this.clock.now()],
      );
      await manager.query('DELETE FROM "authorization".attachments WHERE principal_id = $1', [ref.PrincipalId]);
      await manager.query('DELETE FROM "authorization".inline_policies WHERE principal_id = $1', [ref.PrincipalId]);
    });
  }
}
