import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user id whose delete has begun in identity: adds of it are refused. */
@Entity({ name: 'user_tombstones' })
export class UserTombstoneEntity {
  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  /** Database time when the (latest) delete began. */
  @Column({ name: 'marked_at', type: 'timestamptz' })
  markedAt!: Date;
}
