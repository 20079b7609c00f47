import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { BusClient, CreateUserRequest, GetUserRequest, IdentityPatterns, parseRequest, UserReply } from '@iam/contracts';

/** REST: users. Validates at the edge, then asks the identity service. */
@Controller('v1/users')
export class UsersController {
  constructor(private readonly bus: BusClient) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown): Promise<UserReply> {
    const request = parseRequest(CreateUserRequest, body ?? {});
    return this.bus.send(IdentityPatterns.CreateUser, request);
  }

  @Get(':name')
  async get(@Param('name') name: string): Promise<UserReply> {
    const request = parseRequest(GetUserRequest, { UserName: name });
    return this.bus.send(IdentityPatterns.GetUser, request);
  }
}
