import { IamError } from '@iam/contracts';

/** The directory's errors, worded as AWS words them. */
export const DirectoryErrors = {
  membersRemain: () => new IamError('DeleteConflict', 'Cannot delete entity, must remove users from group first.'),
  attachedPoliciesRemain: () => new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.'),
  inlinePoliciesRemain: () => new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.'),
  groupsPerUser: (quota: number) => new IamError('LimitExceeded', `Cannot exceed quota for GroupsPerUser: ${quota}`),
  groupsPerAccount: (quota: number) => new IamError('LimitExceeded', `Cannot exceed quota for GroupsPerAccount: ${quota}`),
  groupBeingDeleted: (name: string) =>
    new IamError('EntityTemporarilyUnmodifiable', `The group with name ${name} is being deleted; try again later.`),
};
