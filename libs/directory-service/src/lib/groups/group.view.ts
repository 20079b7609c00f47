import { Arns, Group, GroupRef } from '@iam/contracts';
import { GroupEntity } from './group.entity';

/** A group row in AWS's shape. */
export function toGroup(entity: GroupEntity, accountId: string): Group {
  return {
    Path: entity.path,
    GroupName: entity.name,
    GroupId: entity.groupId,
    Arn: Arns.group(accountId, entity.path, entity.name),
    CreateDate: entity.createDate.toISOString(),
  };
}

/** A group row as the decision path needs it. */
export function toGroupRef(entity: Pick<GroupEntity, 'groupId' | 'name' | 'path'>, accountId: string): GroupRef {
  return {
    GroupId: entity.groupId,
    GroupName: entity.name,
    Path: entity.path,
    Arn: Arns.group(accountId, entity.path, entity.name),
  };
}

/** Is a delete of this group under way (marked, and the mark has not lapsed)? */
export function isBeingDeleted(entity: GroupEntity, now: Date): boolean {
  return entity.state === 'deleting' && entity.deletingUntil !== null && entity.deletingUntil.getTime() > now.getTime();
}
