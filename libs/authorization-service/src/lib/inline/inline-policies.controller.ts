import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthorizationPatterns as P, ReplyOf, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { InlinePoliciesService } from './inline-policies.service';

/** Bus handlers for inline policies of users and groups. */
@Controller()
export class InlinePoliciesController {
  constructor(private readonly inline: InlinePoliciesService) {}

  @MessagePattern(P.PutUserPolicy)
  async putUser(@Payload(contract(P.PutUserPolicy)) request: RequestOf<typeof P.PutUserPolicy>): Promise<ReplyOf<typeof P.PutUserPolicy>> {
    await this.inline.put('user', request.UserName, request.PolicyName, request.PolicyDocument);
    return {};
  }

  @MessagePattern(P.GetUserPolicy)
  async getUser(@Payload(contract(P.GetUserPolicy)) request: RequestOf<typeof P.GetUserPolicy>): Promise<ReplyOf<typeof P.GetUserPolicy>> {
    const { principal, PolicyName, PolicyDocument } = await this.inline.get('user', request.UserName, request.PolicyName);
    return { UserName: principal.name, PolicyName, PolicyDocument };
  }

  @MessagePattern(P.DeleteUserPolicy)
  async deleteUser(@Payload(contract(P.DeleteUserPolicy)) request: RequestOf<typeof P.DeleteUserPolicy>): Promise<ReplyOf<typeof P.DeleteUserPolicy>> {
    await this.inline.delete('user', request.UserName, request.PolicyName);
    return {};
  }

  @MessagePattern(P.ListUserPolicies)
  listUser(@Payload(contract(P.ListUserPolicies)) request: RequestOf<typeof P.ListUserPolicies>): Promise<ReplyOf<typeof P.ListUserPolicies>> {
    return this.inline.list('user', request.UserName, request);
  }

  @MessagePattern(P.PutGroupPolicy)
  async putGroup(@Payload(contract(P.PutGroupPolicy)) request: RequestOf<typeof P.PutGroupPolicy>): Promise<ReplyOf<typeof P.PutGroupPolicy>> {
    await this.inline.put('group', request.GroupName, request.PolicyName, request.PolicyDocument);
    return {};
  }

  @MessagePattern(P.GetGroupPolicy)
  async getGroup(@Payload(contract(P.GetGroupPolicy)) request: RequestOf<typeof P.GetGroupPolicy>): Promise<ReplyOf<typeof P.GetGroupPolicy>> {
    const { principal, PolicyName, PolicyDocument } = await this.inline.get('group', request.GroupName, request.PolicyName);
    return { GroupName: principal.name, PolicyName, PolicyDocument };
  }

  @MessagePattern(P.DeleteGroupPolicy)
  async deleteGroup(@Payload(contract(P.DeleteGroupPolicy)) request: RequestOf<typeof P.DeleteGroupPolicy>): Promise<ReplyOf<typeof P.DeleteGroupPolicy>> {
    await this.inline.delete('group', request.GroupName, request.PolicyName);
    return {};
  }

  @MessagePattern(P.ListGroupPolicies)
  listGroup(@Payload(contract(P.ListGroupPolicies)) request: RequestOf<typeof P.ListGroupPolicies>): Promise<ReplyOf<typeof P.ListGroupPolicies>> {
    return this.inline.list('group', request.GroupName, request);
  }
}
