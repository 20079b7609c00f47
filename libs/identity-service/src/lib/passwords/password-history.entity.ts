import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Hashes of the passwords a user had, newest first by id, for `PasswordReusePrevention`. */
@Entity({ name: 'password_history' })
export class PasswordHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'set_at', type: 'timestamptz' })
  setAt!: Date;
}
