import { Arns, DirectoryPatterns } from '@iam/contracts';
import { defineOperation, input, required } from '../operation';
import { GroupOut, Out, PageMembers, PageOut, Shapes, UserOut } from '../shapes';
import { groupTarget, userTarget } from '../targets';

const TAG = 'Groups';
const GroupsPageOut = Out.struct({ Groups: Out.list(GroupOut), ...PageOut });

export const CreateGroup = defineOperation({
  name: 'CreateGroup',
  query: true,
  tag: TAG,
  summary: 'Creates a group. Names are unique regardless of case.',
  input: input({ GroupName: required(Shapes.groupName), Path: Shapes.path }),
  output: Out.struct({ Group: GroupOut }),
  checks: (i, c) => [{ action: 'iam:CreateGroup', resource: Arns.group(c.accountId, i.Path ?? '/', i.GroupName) }],
  call: (i, c) => c.bus.send(DirectoryPatterns.CreateGroup, i),
  rest: { method: 'POST', path: '/v1/groups', status: 201 },
});

export const GetGroup = defineOperation({
  name: 'GetGroup',
  query: true,
  tag: TAG,
  summary: 'Gets a group and one page of its members.',
  input: input({ GroupName: required(Shapes.groupName), ...PageMembers }),
  output: Out.struct({ Group: GroupOut, Users: Out.list(UserOut), ...PageOut }),
  paginated: true,
  checks: async (i, c) => [{ action: 'iam:GetGroup', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: (i, c) => c.bus.send(DirectoryPatterns.GetGroup, i),
  rest: { method: 'GET', path: '/v1/groups/{GroupName}' },
});

export const ListGroupMembers = defineOperation({
  name: 'ListGroupMembers',
  query: false,
  tag: TAG,
  summary: "One page of a group's members (GetGroup without the group).",
  input: input({ GroupName: required(Shapes.groupName), ...PageMembers }),
  output: Out.struct({ Users: Out.list(UserOut), ...PageOut }),
  paginated: true,
  checks: async (i, c) => [{ action: 'iam:GetGroup', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: async (i, c) => {
    const { Users, IsTruncated, Marker } = await c.bus.send(DirectoryPatterns.GetGroup, i);
    return { Users, IsTruncated, ...(Marker !== undefined ? { Marker } : {}) };
  },
  rest: { method: 'GET', path: '/v1/groups/{GroupName}/members' },
});

export const ListGroups = defineOperation({
  name: 'ListGroups',
  query: true,
  tag: TAG,
  summary: 'Lists the groups whose path starts with PathPrefix, by name.',
  input: input({ PathPrefix: Shapes.pathPrefix, ...PageMembers }),
  output: GroupsPageOut,
  paginated: true,
  checks: () => [{ action: 'iam:ListGroups', resource: '*' }],
  call: (i, c) => c.bus.send(DirectoryPatterns.ListGroups, i),
  rest: { method: 'GET', path: '/v1/groups' },
});

export const UpdateGroup = defineOperation({
  name: 'UpdateGroup',
  query: true,
  tag: TAG,
  summary: 'Renames and/or moves a group. Needs iam:UpdateGroup on both the old and the new ARN.',
  input: input({ GroupName: required(Shapes.groupName), NewGroupName: Shapes.groupName, NewPath: Shapes.path }),
  checks: async (i, c) => {
    const target = await groupTarget(c, i.GroupName);
    const renamed = Arns.group(c.accountId, i.NewPath ?? target.path, i.NewGroupName ?? i.GroupName);
    const checks = [{ action: 'iam:UpdateGroup', resource: target.arn }];
    if (renamed !== target.arn) checks.push({ action: 'iam:UpdateGroup', resource: renamed });
    return checks;
  },
  call: (i, c) => c.bus.send(DirectoryPatterns.UpdateGroup, i),
  toXml: () => undefined,
  rest: { method: 'PATCH', path: '/v1/groups/{GroupName}', status: 204 },
});

export const DeleteGroup = defineOperation({
  name: 'DeleteGroup',
  query: true,
  tag: TAG,
  summary: 'Deletes a group without members or policies.',
  input: input({ GroupName: required(Shapes.groupName) }),
  checks: async (i, c) => [{ action: 'iam:DeleteGroup', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: (i, c) => c.bus.send(DirectoryPatterns.DeleteGroup, i),
  toXml: () => undefined,
  rest: { method: 'DELETE', path: '/v1/groups/{GroupName}', status: 204 },
});

export const AddUserToGroup = defineOperation({
  name: 'AddUserToGroup',
  query: true,
  tag: TAG,
  summary: 'Adds a user to a group (again is not an error).',
  input: input({ GroupName: required(Shapes.groupName), UserName: required(Shapes.existingUserName) }),
  checks: async (i, c) => [{ action: 'iam:AddUserToGroup', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: (i, c) => c.bus.send(DirectoryPatterns.AddUserToGroup, i),
  toXml: () => undefined,
  rest: { method: 'PUT', path: '/v1/groups/{GroupName}/members/{UserName}', status: 204 },
});

export const RemoveUserFromGroup = defineOperation({
  name: 'RemoveUserFromGroup',
  query: true,
  tag: TAG,
  summary: 'Removes a user from a group; the next call of that user no longer has the group\'s permissions.',
  input: input({ GroupName: required(Shapes.groupName), UserName: required(Shapes.existingUserName) }),
  checks: async (i, c) => [{ action: 'iam:RemoveUserFromGroup', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: (i, c) => c.bus.send(DirectoryPatterns.RemoveUserFromGroup, i),
  toXml: () => undefined,
  rest: { method: 'DELETE', path: '/v1/groups/{GroupName}/members/{UserName}', status: 204 },
});

export const ListGroupsForUser = defineOperation({
  name: 'ListGroupsForUser',
  query: true,
  tag: 'Users',
  summary: 'Lists the groups a user is in, by name.',
  input: input({ UserName: required(Shapes.existingUserName), ...PageMembers }),
  output: GroupsPageOut,
  paginated: true,
  checks: async (i, c) => [{ action: 'iam:ListGroupsForUser', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(DirectoryPatterns.ListGroupsForUser, i),
  rest: { method: 'GET', path: '/v1/users/{UserName}/groups' },
});

export const GROUP_OPERATIONS = [
  CreateGroup,
  ListGroups,
  GetGroup,
  UpdateGroup,
  DeleteGroup,
  ListGroupMembers,
  AddUserToGroup,
  RemoveUserFromGroup,
  ListGroupsForUser,
];
