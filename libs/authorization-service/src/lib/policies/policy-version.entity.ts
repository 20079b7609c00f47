import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One version of a managed policy's document; removed with its policy. */
@Entity({ name: 'policy_versions' })
export class PolicyVersionEntity {
  @PrimaryColumn({ name: 'policy_id', type: 'text' })
  policyId!: string;

  /** `v1`, `v2`, ... */
  @PrimaryColumn({ name: 'version_id', type: 'text' })
  versionId!: string;

  @Column({ name: 'version_number', type: 'integer' })
  versionNumber!: number;

  @Column({ type: 'text' })
  document!: string;

  @Column({ name: 'create_date', type: 'timestamptz' })
  createDate!: Date;
}
