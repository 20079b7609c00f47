import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthorizationPatterns as P, ReplyOf, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { PoliciesService } from './policies.service';

/** Bus handlers for managed policies, their versions and tags: validate against the contract, call one use case. */
@Controller()
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @MessagePattern(P.AccountSummary)
  accountSummary(@Payload(contract(P.AccountSummary)) _request: RequestOf<typeof P.AccountSummary>): Promise<ReplyOf<typeof P.AccountSummary>> {
    return this.policies.accountSummary();
  }

  @MessagePattern(P.CreatePolicy)
  async create(@Payload(contract(P.CreatePolicy)) request: RequestOf<typeof P.CreatePolicy>): Promise<ReplyOf<typeof P.CreatePolicy>> {
    return { Policy: await this.policies.create(request) };
  }

  @MessagePattern(P.GetPolicy)
  async get(@Payload(contract(P.GetPolicy)) request: RequestOf<typeof P.GetPolicy>): Promise<ReplyOf<typeof P.GetPolicy>> {
    return { Policy: await this.policies.get(request.PolicyArn) };
  }

  @MessagePattern(P.ListPolicies)
  list(@Payload(contract(P.ListPolicies)) request: RequestOf<typeof P.ListPolicies>): Promise<ReplyOf<typeof P.ListPolicies>> {
    return this.policies.list(request);
  }

  @MessagePattern(P.DeletePolicy)
  async delete(@Payload(contract(P.DeletePolicy)) request: RequestOf<typeof P.DeletePolicy>): Promise<ReplyOf<typeof P.DeletePolicy>> {
    await this.policies.delete(request.PolicyArn);
    return {};
  }

  @MessagePattern(P.TagPolicy)
  async tag(@Payload(contract(P.TagPolicy)) request: RequestOf<typeof P.TagPolicy>): Promise<ReplyOf<typeof P.TagPolicy>> {
    await this.policies.tag(request);
    return {};
  }

  @MessagePattern(P.UntagPolicy)
  async untag(@Payload(contract(P.UntagPolicy)) request: RequestOf<typeof P.UntagPolicy>): Promise<ReplyOf<typeof P.UntagPolicy>> {
    await this.policies.untag(request);
    return {};
  }

  @MessagePattern(P.ListPolicyTags)
  listTags(@Payload(contract(P.ListPolicyTags)) request: RequestOf<typeof P.ListPolicyTags>): Promise<ReplyOf<typeof P.ListPolicyTags>> {
    return this.policies.listTags(request);
  }

  @MessagePattern(P.CreatePolicyVersion)
  async createVersion(
    @Payload(contract(P.CreatePolicyVersion)) request: RequestOf<typeof P.CreatePolicyVersion>,
  ): Promise<ReplyOf<typeof P.CreatePolicyVersion>> {
    return { PolicyVersion: await this.policies.createVersion(request) };
  }

  @MessagePattern(P.GetPolicyVersion)
  async getVersion(
    @Payload(contract(P.GetPolicyVersion)) request: RequestOf<typeof P.GetPolicyVersion>,
  ): Promise<ReplyOf<typeof P.GetPolicyVersion>> {
    return { PolicyVersion: await this.policies.getVersion(request) };
  }

  @MessagePattern(P.ListPolicyVersions)
  listVersions(
    @Payload(contract(P.ListPolicyVersions)) request: RequestOf<typeof P.ListPolicyVersions>,
  ): Promise<ReplyOf<typeof P.ListPolicyVersions>> {
    return this.policies.listVersions(request);
  }

  @MessagePattern(P.SetDefaultPolicyVersion)
  async setDefaultVersion(
    @Payload(contract(P.SetDefaultPolicyVersion)) request: RequestOf<typeof P.SetDefaultPolicyVersion>,
  ): Promise<ReplyOf<typeof P.SetDefaultPolicyVersion>> {
    await this.policies.setDefaultVersion(request);
    return {};
  }

  @MessagePattern(P.DeletePolicyVersion)
  async deleteVersion(
    @Payload(contract(P.DeletePolicyVersion)) request: RequestOf<typeof P.DeletePolicyVersion>,
  ): Promise<ReplyOf<typeof P.DeletePolicyVersion>> {
    await this.policies.deleteVersion(request);
    return {};
  }
}
