import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PrincipalType } from '../principals/named-principal';

/** An inline policy of a user or group, by the principal's immutable id and the policy's name regardless of case. */
@Entity({ name: 'inline_policies' })
export class InlinePolicyEntity {
  @PrimaryColumn({ name: 'principal_id', type: 'text' })
  principalId!: string;

  @Column({ name: 'principal_type', type: 'text' })
  principalType!: PrincipalType;

  /** The name as last written. */
  @Column({ type: 'text' })
  name!: string;

  @PrimaryColumn({ name: 'name_lower', type: 'text' })
  nameLower!: string;

  @Column({ type: 'text' })
  document!: string;

  /** Keys the compiled form (`CompiledPolicies.inlineKey`). */
  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  /** The document's size as IAM counts it against the principal's aggregate quota. */
  @Column({ type: 'integer' })
  size!: number;

  @Column({ name: 'create_date', type: 'timestamptz' })
  createDate!: Date;

  @Column({ name: 'update_date', type: 'timestamptz' })
  updateDate!: Date;
}
