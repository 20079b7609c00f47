import { Errors, IamError } from '@iam/contracts';

/** The directory's errors, worded as AWS words them. */
export const DirectoryErrors = {
  noSuchUser: Errors.noSuchUser,
  noSuchGroup: Errors.noSuchGroup,
  noSuchGroupId: (id: string) => new IamError('NoSuchEntity', `The group with id ${id} cannot be found.`),
  groupExists: Errors.groupExists,
  deleteConflict: Errors.deleteConflict,
  unavailable: Errors.unavailable,
  groupsPerUser: (quota: number) => new IamError('LimitExceeded', `Cannot exceed quota for GroupsPerUser: ${quota}`),
  groupsPerAccount: (quota: number) => new IamError('LimitExceeded', `Cannot exceed quota for GroupsPerAccount: ${quota}`),
  groupBeingDeleted: (name: string) =>
    new IamError('EntityTemporarilyUnmodifiable', `The group with name ${name} is being deleted; try again later.`),
};
