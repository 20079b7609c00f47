import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateAccessKeyReply, GetAccessKeyLastUsedReply, IdentityPatterns as P, ListAccessKeysReply, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { AccessKeysService } from './access-keys.service';

type Empty = Record<string, never>;

/** Bus handlers for access keys. */
@Controller()
export class AccessKeysController {
  constructor(private readonly keys: AccessKeysService) {}

  @MessagePattern(P.CreateAccessKey)
  create(@Payload(contract(P.CreateAccessKey)) request: RequestOf<typeof P.CreateAccessKey>): Promise<CreateAccessKeyReply> {
    return this.keys.create(request.UserName, request.Caller);
  }

  @MessagePattern(P.ListAccessKeys)
  list(@Payload(contract(P.ListAccessKeys)) request: RequestOf<typeof P.ListAccessKeys>): Promise<ListAccessKeysReply> {
    return this.keys.list(request);
  }

  @MessagePattern(P.UpdateAccessKey)
  async update(@Payload(contract(P.UpdateAccessKey)) request: RequestOf<typeof P.UpdateAccessKey>): Promise<Empty> {
    await this.keys.updateStatus(request);
    return {};
  }

  @MessagePattern(P.DeleteAccessKey)
  async delete(@Payload(contract(P.DeleteAccessKey)) request: RequestOf<typeof P.DeleteAccessKey>): Promise<Empty> {
    await this.keys.delete(request.UserName, request.Caller, request.AccessKeyId);
    return {};
  }

  @MessagePattern(P.GetAccessKeyLastUsed)
  lastUsed(@Payload(contract(P.GetAccessKeyLastUsed)) request: RequestOf<typeof P.GetAccessKeyLastUsed>): Promise<GetAccessKeyLastUsedReply> {
    return this.keys.lastUsed(request.AccessKeyId);
  }
}
