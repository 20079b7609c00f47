import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Consecutive failed sign-ins of one subject: a user (`user:<name>`, `root`) or a user from one source (`pair:<user>|<source>`). */
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

  /** For a pair: the user's subject. */
  @Column({ type: 'text', nullable: true })
  principal!: string | null;

  /** For a user: attempts let through from sources without failures during the current lock. */
  @Column({ name: 'clean_passes', type: 'integer', default: 0 })
  cleanPasses!: number;
}
