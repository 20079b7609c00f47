import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AccessKeyStatus } from '@iam/contracts';

/** An access key; its secret is sealed (AES-256-GCM) under the master key `masterKeyId`. */
@Entity({ name: 'access_keys' })
export class AccessKeyEntity {
  @PrimaryColumn({ name: 'access_key_id', type: 'text' })
  accessKeyId!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'text' })
  status!: AccessKeyStatus;

  @Column({ name: 'create_date', type: 'timestamptz' })
  createDate!: Date;

  /** nonce ‖ ciphertext ‖ tag. */
  @Column({ name: 'secret_sealed', type: 'bytea' })
  secretSealed!: Buffer;

  @Column({ name: 'master_key_id', type: 'text' })
  masterKeyId!: string;

  @Column({ name: 'last_used_date', type: 'timestamptz', nullable: true })
  lastUsedDate!: Date | null;

  @Column({ name: 'last_used_service', type: 'text', nullable: true })
  lastUsedService!: string | null;

  @Column({ name: 'last_used_region', type: 'text', nullable: true })
  lastUsedRegion!: string | null;
}
