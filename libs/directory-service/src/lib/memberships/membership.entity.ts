import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user in a group, by immutable ids only: renames change nothing here. */
@Entity({ name: 'memberships' })
export class MembershipEntity {
  @PrimaryColumn({ name: 'group_id', type: 'text' })
  groupId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'added_date', type: 'timestamptz' })
  addedDate!: Date;
}
