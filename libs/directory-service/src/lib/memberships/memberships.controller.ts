import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DirectoryPatterns as P, GroupsPage, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { MembershipsService } from './memberships.service';

/** Bus handlers for memberships: validate against the contract, call one use case. */
@Controller()
export class MembershipsController {
  constructor(private readonly memberships: MembershipsService) {}

  @MessagePattern(P.AddUserToGroup)
  async add(@Payload(contract(P.AddUserToGroup)) request: RequestOf<typeof P.AddUserToGroup>): Promise<Record<string, never>> {
    await this.memberships.add(request);
    return {};
  }

  @MessagePattern(P.RemoveUserFromGroup)
  async remove(@Payload(contract(P.RemoveUserFromGroup)) request: RequestOf<typeof P.RemoveUserFromGroup>): Promise<Record<string, never>> {
    await this.memberships.remove(request);
    return {};
  }

  @MessagePattern(P.ListGroupsForUser)
  async listForUser(@Payload(contract(P.ListGroupsForUser)) request: RequestOf<typeof P.ListGroupsForUser>): Promise<GroupsPage> {
    return this.memberships.listForUser(request);
  }
}
