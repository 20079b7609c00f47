import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Arns, BusClient, CreateUserRequest, Errors, IdentityEvents, ResolvedUser, ResolveUserRequest, User } from '@iam/contracts';
import { Clock, IdGenerator, isUniqueViolation } from '@iam/platform';
import { Repository } from 'typeorm';
import { IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { UserEntity } from './user.entity';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityServiceOptions,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly bus: BusClient,
  ) {}

  async create(request: CreateUserRequest): Promise<User> {
    const entity = this.users.create({
      userId: this.ids.next('AIDA'),
      name: request.UserName,
      nameLower: request.UserName.toLowerCase(),
      path: request.Path ?? '/',
      createDate: this.clock.now(),
      passwordLastUsed: null,
      tags: request.Tags ?? [],
      state: 'active',
    });
    try {
      await this.users.insert(entity);
    } catch (error) {
      if (isUniqueViolation(error)) throw Errors.userExists(request.UserName);
      throw error;
    }
    await this.publish(IdentityEvents.UserCreated, { UserId: entity.userId, UserName: entity.name });
    return this.toUser(entity);
  }

  async getByName(name: string): Promise<User> {
    const entity = await this.users.findOneBy({ nameLower: name.toLowerCase(), state: 'active' });
    if (!entity) throw Errors.noSuchUser(name);
    return this.toUser(entity);
  }

  async resolve(request: ResolveUserRequest): Promise<ResolvedUser> {
    const entity =
      'UserId' in request
        ? await this.users.findOneBy({ userId: request.UserId })
        : await this.users.findOneBy({ nameLower: request.UserName.toLowerCase() });
    if (!entity) throw Errors.noSuchUser('UserId' in request ? request.UserId : request.UserName);
    return {
      UserId: entity.userId,
      UserName: entity.name,
      Path: entity.path,
      Arn: Arns.user(this.options.accountId, entity.path, entity.name),
      State: entity.state,
      Tags: entity.tags,
    };
  }

  toUser(entity: UserEntity): User {
    const user: User = {
      Path: entity.path,
      UserName: entity.name,
      UserId: entity.userId,
      Arn: Arns.user(this.options.accountId, entity.path, entity.name),
      CreateDate: entity.createDate.toISOString(),
    };
    if (entity.passwordLastUsed) user.PasswordLastUsed = entity.passwordLastUsed.toISOString();
    if (entity.tags.length > 0) user.Tags = entity.tags;
    return user;
  }

  /** Events feed caches elsewhere; a failed publish is logged, never undoes the committed change. */
  private async publish(event: typeof IdentityEvents.UserCreated, payload: { UserId: string; UserName: string }) {
    try {
      await this.bus.emit(event, payload);
    } catch (error) {
      this.logger.warn(`Could not publish ${event}: ${(error as Error).message}`);
    }
  }
}
