import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Consecutive failed sign-ins of one subject (`user:<name>`, `root` or `ip:<address>`). */
@Entity({ name: 'sign_in_failures' })
export class SignInFailureEntity {
  @PrimaryColumn({ type: 'text' })
  subject!: string;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ name: 'last_failure', type: 'timestamptz' })
  lastFailure!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
