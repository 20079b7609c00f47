import { Column, Entity, PrimaryColumn } from 'typeorm';

export type GroupState = 'active' | 'deleting';

@Entity({ name: 'groups' })
export class GroupEntity {
  /** Immutable: memberships here and policies elsewhere are keyed by it. */
  @PrimaryColumn({ name: 'group_id', type: 'text' })
  groupId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Lower-cased name; unique, so names are unique regardless of case. */
  @Column({ name: 'name_lower', type: 'text', unique: true })
  nameLower!: string;

  @Column({ type: 'text' })
  path!: string;

  @Column({ name: 'create_date', type: 'timestamptz' })
  createDate!: Date;

  /** `deleting` while a DeleteGroup is under way (until `deletingUntil`). */
  @Column({ type: 'text', default: 'active' })
  state!: GroupState;

  /** Identifies the DeleteGroup that marked the group, so only it can finish or undo the mark. */
  @Column({ name: 'delete_token', type: 'text', nullable: true })
  deleteToken!: string | null;

  /** The mark of a delete that never finished (a crashed replica) lapses at this time. */
  @Column({ name: 'deleting_until', type: 'timestamptz', nullable: true })
  deletingUntil!: Date | null;
}
