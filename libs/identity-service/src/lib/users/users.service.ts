import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Arns,
  assertUniqueTagKeys,
  CreateUserRequest,
  GetUserRequest,
  IdentityEvents,
  ListUsersReply,
  ListUsersRequest,
  ListUserTagsReply,
  ListUserTagsRequest,
  mergeTags,
  removeTags,
  ResolvedUser,
  ResolveUserRequest,
  TagUserRequest,
  UntagUserRequest,
  UpdateUserRequest,
  User,
  UsersInNameOrderReply,
  UsersInNameOrderRequest,
  UserSummary,
} from '@iam/contracts';
import { Clock, IdGenerator, isUniqueViolation, Listing } from '@iam/platform';
import { DataSource, EntityManager } from 'typeorm';
import { IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { IdentityErrors } from '../shared/errors';
import { EventPublisher } from '../shared/events';
import { sortedTags, tagSortKey } from './tags';
import { UserEntity } from './user.entity';
import { UsersStore } from './users.store';

const USERS = new Listing<[nameLower: string]>('users', 1);
/** Bytes of users one `UsersInNameOrder` reply carries at most, so that it fits in one bus message (NATS's default limit is 1 MiB). */
export const IN_NAME_ORDER_BYTES = 800 * 1024;
/** A user's tags by key regardless of case (`sortedTags`). */
const USER_TAGS = new Listing<[tagKey: string]>('user-tags', 1);

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersStore,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityServiceOptions,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly events: EventPublisher,
  ) {}

  /** Bytes of users a {@link inNameOrder} reply carries at most. */
  inNameOrderBytes = IN_NAME_ORDER_BYTES;

  async create(request: CreateUserRequest): Promise<User> {
    const tags = request.Tags ?? [];
    assertUniqueTagKeys(tags, 'insensitive');
    const entity: UserEntity = {
      userId: this.ids.next('AIDA'),
      name: request.UserName,
      nameLower: request.UserName.toLowerCase(),
      path: request.Path ?? '/',
      createDate: this.clock.now(),
      passwordLastUsed: null,
      tags,
      state: 'active',
    };
    try {
      await this.users.add(entity);
    } catch (error) {
      if (isUniqueViolation(error)) throw IdentityErrors.userExists(request.UserName);
      throw error;
    }
    await this.events.publish(IdentityEvents.UserCreated, { UserId: entity.userId, UserName: entity.name });
    return this.toUser(entity);
  }

  async get(request: GetUserRequest): Promise<User> {
    if (request.UserName !== undefined) return this.toUser(await this.byName(request.UserName));
    if (request.Caller) return this.toUser(await this.byId(request.Caller.UserId));
    throw IdentityErrors.missingUserName();
  }

  /** How many users the account has (those being deleted included), in one `count(*)`. */
  count(): Promise<number> {
    return this.users.count();
  }

  async list(request: ListUsersRequest): Promise<ListUsersReply> {
    const page = USERS.query(request);
    const users = await this.users.page(request.PathPrefix ?? '/', page.after?.[0], page.limit);
    const { items, page: shown } = USERS.page(users, page, (entity) => [entity.nameLower]);
    return { Users: items.map((entity) => this.toUser(entity, { withTags: false })), ...shown };
  }

  async update(request: UpdateUserRequest): Promise<void> {
    if (request.NewUserName === undefined && request.NewPath === undefined) {
      await this.byName(request.UserName);
      return;
    }
    let changed: UserEntity;
    try {
      changed = await this.dataSource.transaction(async (manager) => {
        const user = await this.lockByName(manager, request.UserName);
        const name = request.NewUserName ?? user.name;
        const path = request.NewPath ?? user.path;
        await this.users.rename(manager, user.userId, { name, path });
        return { ...user, name, nameLower: name.toLowerCase(), path };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw IdentityErrors.userExists(request.NewUserName ?? request.UserName);
      throw error;
    }
    await this.events.publish(IdentityEvents.UserRenamed, { UserId: changed.userId, UserName: changed.name, Path: changed.path });
  }

  async tag(request: TagUserRequest): Promise<void> {
    await this.changeTags(request.UserName, (tags) => mergeTags(tags, request.Tags, 'insensitive'));
  }

  async untag(request: UntagUserRequest): Promise<void> {
    await this.changeTags(request.UserName, (tags) => removeTags(tags, request.TagKeys, 'insensitive'));
  }

  async listTags(request: ListUserTagsRequest): Promise<ListUserTagsReply> {
    const user = await this.byName(request.UserName);
    const { items, page } = USER_TAGS.slice(sortedTags(user.tags), request, (tag) => [tagSortKey(tag)]);
    return { Tags: items, ...page };
  }

  async resolve(request: ResolveUserRequest): Promise<ResolvedUser> {
    const entity =
      'UserId' in request
        ? await this.users.byId(request.UserId)
        : await this.users.byName(request.UserName);
    if (!entity) throw 'UserId' in request ? IdentityErrors.noSuchUserId(request.UserId) : IdentityErrors.noSuchUser(request.UserName);
    return this.toResolved(entity);
  }

  /** One query for many ids; unknown ids are left out. */
  async resolveMany(userIds: string[]): Promise<ResolvedUser[]> {
    if (userIds.length === 0) return [];
    const entities = await this.users.byIds([...new Set(userIds)]);
    return entities.map((entity) => this.toResolved(entity));
  }

  /** A keyset page of users in name order (see `UsersInNameOrder`): reads one row more than `Limit` to know whether more follow. */
  async inNameOrder(request: UsersInNameOrderRequest): Promise<UsersInNameOrderReply> {
    const rows = await this.users.inNameOrder({ after: request.After, userIds: request.UserIds, limit: request.Limit + 1 });
    const Users: UserSummary[] = [];
    let bytes = 0;
    for (const row of rows.slice(0, request.Limit)) {
      const user: UserSummary = { UserId: row.userId, UserName: row.name, Path: row.path, Arn: this.arnOf(row) };
      bytes += Buffer.byteLength(JSON.stringify(user));
      if (bytes > this.inNameOrderBytes && Users.length > 0) return { Users, IsTruncated: true };
      Users.push(user);
    }
    return { Users, IsTruncated: rows.length > request.Limit };
  }

  /** Of these ids, those no user has. */
  unknown(userIds: readonly string[]): Promise<string[]> {
    return this.users.unknown(userIds);
  }

  /** A user by name regardless of case, or `NoSuchEntity`. */
  async byName(name: string): Promise<UserEntity> {
    const entity = await this.users.byName(name);
    if (!entity) throw IdentityErrors.noSuchUser(name);
    return entity;
  }

  /** A user by id, or `NoSuchEntity`. */
  async byId(userId: string): Promise<UserEntity> {
    const entity = await this.users.byId(userId);
    if (!entity) throw IdentityErrors.noSuchUserId(userId);
    return entity;
  }

  /**
   * Locks a user row for the rest of `manager`'s transaction; refuses a user
   * that is being deleted (`EntityTemporarilyUnmodifiable`) unless `allowDeleting`.
   */
  async lockByName(manager: EntityManager, name: string, options: { allowDeleting?: boolean } = {}): Promise<UserEntity> {
    const entity = await this.users.lockByName(manager, name);
    if (!entity) throw IdentityErrors.noSuchUser(name);
    if (entity.state === 'deleting' && !options.allowDeleting) throw IdentityErrors.userBeingDeleted(entity.name);
    return entity;
  }

  /** As {@link lockByName}, by id. */
  async lockById(manager: EntityManager, userId: string, options: { allowDeleting?: boolean } = {}): Promise<UserEntity> {
    const entity = await this.users.lockById(manager, userId);
    if (!entity) throw IdentityErrors.noSuchUserId(userId);
    if (entity.state === 'deleting' && !options.allowDeleting) throw IdentityErrors.userBeingDeleted(entity.name);
    return entity;
  }

  arnOf(entity: Pick<UserEntity, 'path' | 'name'>): string {
    return Arns.user(this.options.accountId, entity.path, entity.name);
  }

  toUser(entity: UserEntity, options: { withTags?: boolean } = {}): User {
    const user: User = {
      Path: entity.path,
      UserName: entity.name,
      UserId: entity.userId,
      Arn: this.arnOf(entity),
      CreateDate: entity.createDate.toISOString(),
    };
    if (entity.passwordLastUsed) user.PasswordLastUsed = entity.passwordLastUsed.toISOString();
    if ((options.withTags ?? true) && entity.tags.length > 0) user.Tags = entity.tags;
    return user;
  }

  private toResolved(entity: UserEntity): ResolvedUser {
    return {
      UserId: entity.userId,
      UserName: entity.name,
      Path: entity.path,
      Arn: this.arnOf(entity),
      State: entity.state,
      Tags: entity.tags,
      CreateDate: entity.createDate.toISOString(),
      ...(entity.passwordLastUsed ? { PasswordLastUsed: entity.passwordLastUsed.toISOString() } : {}),
    };
  }

  private async changeTags(name: string, change: (tags: UserEntity['tags']) => UserEntity['tags']): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.lockByName(manager, name);
      await this.users.setTags(manager, user.userId, change(user.tags));
    });
  }
}
