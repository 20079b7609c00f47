import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's console password (argon2id hash only). */
@Entity({ name: 'login_profiles' })
export class LoginProfileEntity {
  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'create_date', type: 'timestamptz' })
  createDate!: Date;

  /** When the current password was set; passwords expire from here (`MaxPasswordAge`). */
  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt!: Date;

  @Column({ name: 'password_reset_required', type: 'boolean' })
  passwordResetRequired!: boolean;
}
