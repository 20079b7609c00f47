import { Injectable } from '@nestjs/common';
import { PrincipalRef } from '@iam/contracts';
import { Clock } from '@iam/platform';
import { DataSource } from 'typeorm';
import { AttachmentsStore } from '../attachments/attachments.store';
import { InlinePoliciesStore } from '../inline/inline-policies.store';
import { PrincipalTombstonesStore } from './principal-tombstones.store';

/**
 * The authorization side of deleting a user or a group: a tombstone that
 * stops new attachments and inline policies (serialized with them on the
 * principal id), and the cleanup once the principal is gone.
 */
@Injectable()
export class PrincipalDeletionService {
  constructor(
    private readonly db: DataSource,
    private readonly tombstones: PrincipalTombstonesStore,
    private readonly attachments: AttachmentsStore,
    private readonly inline: InlinePoliciesStore,
    private readonly clock: Clock,
  ) {}

  async begin(ref: PrincipalRef): Promise<{ AttachedPolicyCount: number; InlinePolicyCount: number }> {
    const now = this.clock.now();
    return this.db.transaction(async (manager) => {
      await this.tombstones.lock(manager, ref.PrincipalId);
      await this.tombstones.mark(manager, ref, now);
      return {
        AttachedPolicyCount: await this.attachments.countOf(manager, ref.PrincipalId),
        InlinePolicyCount: await this.inline.countOf(manager, ref.PrincipalId),
      };
    });
  }

  async cancel(ref: PrincipalRef): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.tombstones.lock(manager, ref.PrincipalId);
      await this.tombstones.unmark(manager, ref.PrincipalId);
    });
  }

  /**
   * Drops what is keyed by a principal that no longer exists. Idempotent; the
   * tombstone stays, so nothing can be attached to the id afterwards.
   */
  async forget(ref: PrincipalRef): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (manager) => {
      await this.tombstones.lock(manager, ref.PrincipalId);
      await this.tombstones.mark(manager, ref, now);
      await this.attachments.detachAllOf(manager, ref.PrincipalId);
      await this.inline.deleteAllOf(manager, ref.PrincipalId);
    });
  }
}
