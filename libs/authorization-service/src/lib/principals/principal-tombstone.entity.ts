import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PrincipalType } from './named-principal';

/** A user or group whose delete has begun: it may not be given policies any more. Never removed once the principal is gone. */
@Entity({ name: 'principal_tombstones' })
export class PrincipalTombstoneEntity {
  @PrimaryColumn({ name: 'principal_id', type: 'text' })
  principalId!: string;

  @Column({ name: 'principal_type', type: 'text' })
  principalType!: PrincipalType;

  @Column({ name: 'create_date', type: 'timestamptz' })
  createDate!: Date;
}
