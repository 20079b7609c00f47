import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  IdentityAccountSummary,
  IdentityPatterns as P,
  ListUsersReply,
  ListUserTagsReply,
  RequestOf,
  ResolvedUser,
  RootUserReply,
  UserReply,
  UsersInNameOrderReply,
} from '@iam/contracts';
import { contract } from '@iam/platform';
import { ACCESS_KEYS_PER_USER } from '../access-keys/access-keys.service';
import { RootAccountService } from '../account/root-account.service';
import { DeleteUserService } from './delete-user.service';
import { UsersService } from './users.service';

type Empty = Record<string, never>;

/** Bus handlers for users: validate against the contract, call one use case. */
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly deletion: DeleteUserService,
    private readonly root: RootAccountService,
  ) {}

  @MessagePattern(P.CreateUser)
  async create(@Payload(contract(P.CreateUser)) request: RequestOf<typeof P.CreateUser>): Promise<UserReply> {
    return { User: await this.users.create(request) };
  }

  @MessagePattern(P.GetUser)
  async get(@Payload(contract(P.GetUser)) request: RequestOf<typeof P.GetUser>): Promise<UserReply> {
    return { User: await this.users.get(request) };
  }

  @MessagePattern(P.GetRootUser)
  async getRoot(@Payload(contract(P.GetRootUser)) _request: RequestOf<typeof P.GetRootUser>): Promise<RootUserReply> {
    return { User: await this.root.rootUser() };
  }

  @MessagePattern(P.AccountSummary)
  async accountSummary(@Payload(contract(P.AccountSummary)) _request: RequestOf<typeof P.AccountSummary>): Promise<IdentityAccountSummary> {
    return { Users: await this.users.count(), AccessKeysPerUserQuota: ACCESS_KEYS_PER_USER, AccountAccessKeysPresent: this.root.hasKey() ? 1 : 0 };
  }

  @MessagePattern(P.ListUsers)
  list(@Payload(contract(P.ListUsers)) request: RequestOf<typeof P.ListUsers>): Promise<ListUsersReply> {
    return this.users.list(request);
  }

  @MessagePattern(P.UpdateUser)
  async update(@Payload(contract(P.UpdateUser)) request: RequestOf<typeof P.UpdateUser>): Promise<Empty> {
    await this.users.update(request);
    return {};
  }

  @MessagePattern(P.DeleteUser)
  async delete(@Payload(contract(P.DeleteUser)) request: RequestOf<typeof P.DeleteUser>): Promise<Empty> {
    await this.deletion.delete(request.UserName);
    return {};
  }

  @MessagePattern(P.TagUser)
  async tag(@Payload(contract(P.TagUser)) request: RequestOf<typeof P.TagUser>): Promise<Empty> {
    await this.users.tag(request);
    return {};
  }

  @MessagePattern(P.UntagUser)
  async untag(@Payload(contract(P.UntagUser)) request: RequestOf<typeof P.UntagUser>): Promise<Empty> {
    await this.users.untag(request);
    return {};
  }

  @MessagePattern(P.ListUserTags)
  listTags(@Payload(contract(P.ListUserTags)) request: RequestOf<typeof P.ListUserTags>): Promise<ListUserTagsReply> {
    return this.users.listTags(request);
  }

  @MessagePattern(P.ResolveUser)
  resolve(@Payload(contract(P.ResolveUser)) request: RequestOf<typeof P.ResolveUser>): Promise<ResolvedUser> {
    return this.users.resolve(request);
  }

  @MessagePattern(P.ResolveUsers)
  async resolveMany(@Payload(contract(P.ResolveUsers)) request: RequestOf<typeof P.ResolveUsers>): Promise<{ Users: ResolvedUser[] }> {
    return { Users: await this.users.resolveMany(request.UserIds) };
  }

  @MessagePattern(P.UsersInNameOrder)
  inNameOrder(@Payload(contract(P.UsersInNameOrder)) request: RequestOf<typeof P.UsersInNameOrder>): Promise<UsersInNameOrderReply> {
    return this.users.inNameOrder(request);
  }

  @MessagePattern(P.UnknownUsers)
  async unknown(@Payload(contract(P.UnknownUsers)) request: RequestOf<typeof P.UnknownUsers>): Promise<{ UserIds: string[] }> {
    return { UserIds: await this.users.unknown(request.UserIds) };
  }
}
