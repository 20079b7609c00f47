import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IdentityPatterns as P, RequestOf, ResolvedUser, UserReply } from '@iam/contracts';
import { contract } from '@iam/platform';
import { UsersService } from './users.service';

/** Bus handlers for users: validate against the contract, call one use case. */
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @MessagePattern(P.CreateUser)
  async create(@Payload(contract(P.CreateUser)) request: RequestOf<typeof P.CreateUser>): Promise<UserReply> {
    return { User: await this.users.create(request) };
  }

  @MessagePattern(P.GetUser)
  async get(@Payload(contract(P.GetUser)) request: RequestOf<typeof P.GetUser>): Promise<UserReply> {
    return { User: await this.users.getByName(request.UserName) };
  }

  @MessagePattern(P.ResolveUser)
  async resolve(@Payload(contract(P.ResolveUser)) request: RequestOf<typeof P.ResolveUser>): Promise<ResolvedUser> {
    return this.users.resolve(request);
  }
}
