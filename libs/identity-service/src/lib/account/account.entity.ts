import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The account's own row: what identity keeps about the root user. */
@Entity({ name: 'account' })
export class AccountEntity {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  /** When this identity store was created; shown as the root user's `CreateDate`. */
  @Column({ name: 'root_create_date', type: 'timestamptz' })
  rootCreateDate!: Date;

  /** argon2id hash of `IAM_ROOT_PASSWORD`, kept so a changed password ends root's sessions. */
  @Column({ name: 'root_password_hash', type: 'text', nullable: true })
  rootPasswordHash!: string | null;

  @Column({ name: 'root_password_last_used', type: 'timestamptz', nullable: true })
  rootPasswordLastUsed!: Date | null;

  /** The root key the last-used columns describe (a new key starts unused). */
  @Column({ name: 'root_key_id', type: 'text', nullable: true })
  rootKeyId!: string | null;

  @Column({ name: 'root_key_last_used_date', type: 'timestamptz', nullable: true })
  rootKeyLastUsedDate!: Date | null;

  @Column({ name: 'root_key_last_used_service', type: 'text', nullable: true })
  rootKeyLastUsedService!: string | null;

  @Column({ name: 'root_key_last_used_region', type: 'text', nullable: true })
  rootKeyLastUsedRegion!: string | null;

  /** The account's alias (an account has at most one). */
  @Column({ type: 'text', nullable: true })
  alias!: string | null;

  /** When the credential report was last generated. */
  @Column({ name: 'credential_report_generated', type: 'timestamptz', nullable: true })
  credentialReportGenerated!: Date | null;
}
