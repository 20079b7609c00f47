import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DirectoryPatterns as P, GroupRef, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { GroupLookupsService } from './group-lookups.service';

/** Bus handlers for the service-to-service reads. */
@Controller()
export class GroupLookupsController {
  constructor(private readonly lookups: GroupLookupsService) {}

  @MessagePattern(P.GroupsOfUser)
  async groupsOfUser(@Payload(contract(P.GroupsOfUser)) request: RequestOf<typeof P.GroupsOfUser>): Promise<{ Groups: GroupRef[] }> {
    return { Groups: await this.lookups.groupsOfUser(request.UserId) };
  }

  @MessagePattern(P.GroupsOfUsers)
  async groupsOfUsers(
    @Payload(contract(P.GroupsOfUsers)) request: RequestOf<typeof P.GroupsOfUsers>,
  ): Promise<{ Groups: Record<string, GroupRef[]> }> {
    return { Groups: await this.lookups.groupsOfUsers(request.UserIds) };
  }

  @MessagePattern(P.MembersOfGroups)
  async membersOfGroups(
    @Payload(contract(P.MembersOfGroups)) request: RequestOf<typeof P.MembersOfGroups>,
  ): Promise<{ Members: Record<string, string[]> }> {
    return { Members: await this.lookups.membersOfGroups(request.GroupIds) };
  }

  @MessagePattern(P.ResolveGroup)
  async resolve(@Payload(contract(P.ResolveGroup)) request: RequestOf<typeof P.ResolveGroup>): Promise<GroupRef> {
    return this.lookups.resolve(request);
  }
}
