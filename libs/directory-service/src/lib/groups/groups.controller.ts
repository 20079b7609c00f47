import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DirectoryAccountSummary, DirectoryPatterns as P, GetGroupReply, GroupReply, GroupsPage, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { GroupsService } from './groups.service';

/** Bus handlers for groups: validate against the contract, call one use case. */
@Controller()
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @MessagePattern(P.AccountSummary)
  accountSummary(@Payload(contract(P.AccountSummary)) _request: RequestOf<typeof P.AccountSummary>): Promise<DirectoryAccountSummary> {
    return this.groups.accountSummary();
  }

  @MessagePattern(P.CreateGroup)
  async create(@Payload(contract(P.CreateGroup)) request: RequestOf<typeof P.CreateGroup>): Promise<GroupReply> {
    return { Group: await this.groups.create(request) };
  }

  @MessagePattern(P.GetGroup)
  async get(@Payload(contract(P.GetGroup)) request: RequestOf<typeof P.GetGroup>): Promise<GetGroupReply> {
    return this.groups.get(request);
  }

  @MessagePattern(P.ListGroups)
  async list(@Payload(contract(P.ListGroups)) request: RequestOf<typeof P.ListGroups>): Promise<GroupsPage> {
    return this.groups.list(request);
  }

  @MessagePattern(P.UpdateGroup)
  async update(@Payload(contract(P.UpdateGroup)) request: RequestOf<typeof P.UpdateGroup>): Promise<Record<string, never>> {
    await this.groups.update(request);
    return {};
  }

  @MessagePattern(P.DeleteGroup)
  async delete(@Payload(contract(P.DeleteGroup)) request: RequestOf<typeof P.DeleteGroup>): Promise<Record<string, never>> {
    await this.groups.delete(request);
    return {};
  }
}
