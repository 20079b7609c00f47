import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Tag } from '@iam/contracts';

export type UserState = 'active' | 'deleting';

@Entity({ name: 'users' })
export class UserEntity {
  /** Immutable: memberships and policies elsewhere are keyed by it. */
  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Lower-cased name; unique, so names are unique regardless of case. */
  @Column({ name: 'name_lower', type: 'text', unique: true })
  nameLower!: string;

  @Column({ type: 'text' })
  path!: string;

  @Column({ name: 'create_date', type: 'timestamptz' })
  createDate!: Date;

  @Column({ name: 'password_last_used', type: 'timestamptz', nullable: true })
  passwordLastUsed!: Date | null;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  tags!: Tag[];

  @Column({ type: 'text', default: 'active' })
  state!: UserState;
}
