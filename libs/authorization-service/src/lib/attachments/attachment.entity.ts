import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PrincipalType } from '../principals/named-principal';

/** A managed policy attached to a user or group, by immutable ids only: renames change nothing here. */
@Entity({ name: 'attachments' })
export class AttachmentEntity {
  @PrimaryColumn({ name: 'principal_id', type: 'text' })
  principalId!: string;

  @Column({ name: 'principal_type', type: 'text' })
  principalType!: PrincipalType;

  @PrimaryColumn({ name: 'policy_id', type: 'text' })
  policyId!: string;

  /** Set by the database on insert (an identity column): the order attachments were made in. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ name: 'attach_date', type: 'timestamptz' })
  attachDate!: Date;
}
