import { Tag } from '@iam/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A managed policy: a customer's (12-digit account) or AWS's (account `aws`, read-only). */
@Entity({ name: 'policies' })
export class PolicyEntity {
  @PrimaryColumn({ name: 'policy_id', type: 'text' })
  policyId!: string;

  /** The 12-digit account, or `aws` for an AWS managed policy. */
  @Column({ type: 'text' })
  account!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Lower-cased name; unique within the account, so names are unique regardless of case. */
  @Column({ name: 'name_lower', type: 'text' })
  nameLower!: string;

  @Column({ type: 'text' })
  path!: string;

  /** Unique. */
  @Column({ type: 'text' })
  arn!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'default_version', type: 'text' })
  defaultVersion!: string;

  /** The number the next version gets (`v<n>`): version ids are never reused. */
  @Column({ name: 'next_version', type: 'integer' })
  nextVersion!: number;

  @Column({ name: 'create_date', type: 'timestamptz' })
  createDate!: Date;

  @Column({ name: 'update_date', type: 'timestamptz' })
  updateDate!: Date;

  /** In the order they were added. */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  tags!: Tag[];
}
