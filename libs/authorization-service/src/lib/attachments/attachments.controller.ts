import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthorizationPatterns as P, ReplyOf, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { AttachmentsService } from './attachments.service';

/** Bus handlers for attachments of managed policies to users and groups. */
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @MessagePattern(P.AttachUserPolicy)
  async attachUser(@Payload(contract(P.AttachUserPolicy)) request: RequestOf<typeof P.AttachUserPolicy>): Promise<ReplyOf<typeof P.AttachUserPolicy>> {
    await this.attachments.attach('user', request.UserName, request.PolicyArn);
    return {};
  }

  @MessagePattern(P.DetachUserPolicy)
  async detachUser(@Payload(contract(P.DetachUserPolicy)) request: RequestOf<typeof P.DetachUserPolicy>): Promise<ReplyOf<typeof P.DetachUserPolicy>> {
    await this.attachments.detach('user', request.UserName, request.PolicyArn);
    return {};
  }

  @MessagePattern(P.AttachGroupPolicy)
  async attachGroup(@Payload(contract(P.AttachGroupPolicy)) request: RequestOf<typeof P.AttachGroupPolicy>): Promise<ReplyOf<typeof P.AttachGroupPolicy>> {
    await this.attachments.attach('group', request.GroupName, request.PolicyArn);
    return {};
  }

  @MessagePattern(P.DetachGroupPolicy)
  async detachGroup(@Payload(contract(P.DetachGroupPolicy)) request: RequestOf<typeof P.DetachGroupPolicy>): Promise<ReplyOf<typeof P.DetachGroupPolicy>> {
    await this.attachments.detach('group', request.GroupName, request.PolicyArn);
    return {};
  }

  @MessagePattern(P.ListAttachedUserPolicies)
  listUser(
    @Payload(contract(P.ListAttachedUserPolicies)) request: RequestOf<typeof P.ListAttachedUserPolicies>,
  ): Promise<ReplyOf<typeof P.ListAttachedUserPolicies>> {
    return this.attachments.listAttached('user', request.UserName, request);
  }

  @MessagePattern(P.ListAttachedGroupPolicies)
  listGroup(
    @Payload(contract(P.ListAttachedGroupPolicies)) request: RequestOf<typeof P.ListAttachedGroupPolicies>,
  ): Promise<ReplyOf<typeof P.ListAttachedGroupPolicies>> {
    return this.attachments.listAttached('group', request.GroupName, request);
  }

  @MessagePattern(P.ListEntitiesForPolicy)
  listEntities(
    @Payload(contract(P.ListEntitiesForPolicy)) request: RequestOf<typeof P.ListEntitiesForPolicy>,
  ): Promise<ReplyOf<typeof P.ListEntitiesForPolicy>> {
    return this.attachments.listEntities(request);
  }
}
