import { INestMicroservice } from '@nestjs/common';
import { Arns, BusClient, DirectoryPatterns, Errors, GroupRef, IamError } from '@iam/contracts';
import { BusTransport, startService } from '@iam/platform';
import { createTestDatabase, FakeIdentity, isolatedNatsTransport, silentLogger, startStubService, testBusClient, TestDatabase } from '@iam/testing';
import type { Logger } from 'pino';
import { AuthorizationEnv, authorizationOptions } from '../lib/authorization.options';
import { AuthorizationServiceModule } from '../lib/authorization-service.module';

export const ACCOUNT = '123456789012';

export { FakeIdentity };

/**
 * Groups and memberships kept in memory, answering directory's service
 * patterns. A user's groups come in the order its memberships were added.
 */
export class FakeDirectory {
  readonly groups = new Map<string, GroupRef>();
  /** User id → group ids, in the order added. */
  readonly memberships = new Map<string, string[]>();
  /** When set, every request fails with it (a directory that is down or broken). */
  failure?: IamError;
  private next = 0;

  create(name: string, path = '/'): GroupRef {
    this.next += 1;
    const group: GroupRef = { GroupId: `AGPA${String(this.next).padStart(17, '0')}`, GroupName: name, Path: path, Arn: Arns.group(ACCOUNT, path, name) };
    this.groups.set(group.GroupId, group);
    return group;
  }

  remove(groupId: string): void {
    this.groups.delete(groupId);
    for (const [userId, groups] of this.memberships) this.memberships.set(userId, groups.filter((id) => id !== groupId));
  }

  add(userId: string, groupId: string): void {
    const groups = this.memberships.get(userId) ?? [];
    if (!groups.includes(groupId)) groups.push(groupId);
    this.memberships.set(userId, groups);
  }

  removeMember(userId: string, groupId: string): void {
    this.memberships.set(userId, (this.memberships.get(userId) ?? []).filter((id) => id !== groupId));
  }

  groupsOf(userId: string): GroupRef[] {
    return (this.memberships.get(userId) ?? []).flatMap((id) => {
      const group = this.groups.get(id);
      return group ? [group] : [];
    });
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  handlers() {
    return {
      [DirectoryPatterns.ResolveGroup]: (request: { GroupName: string } | { GroupId: string }) => {
        this.check();
        if ('GroupId' in request) {
          const group = this.groups.get(request.GroupId);
          if (!group) throw Errors.noSuchGroup(request.GroupId);
          return group;
        }
        for (const group of this.groups.values()) if (group.GroupName.toLowerCase() === request.GroupName.toLowerCase()) return group;
        throw Errors.noSuchGroup(request.GroupName);
      },
      [DirectoryPatterns.GroupsOfUser]: (request: { UserId: string }) => {
        this.check();
        return { Groups: this.groupsOf(request.UserId) };
      },
      [DirectoryPatterns.GroupsOfUsers]: (request: { UserIds: string[] }) => {
        this.check();
        return { Groups: Object.fromEntries(request.UserIds.map((id) => [id, this.groupsOf(id)])) };
      },
      [DirectoryPatterns.MembersOfGroups]: (request: { GroupIds: string[] }) => {
        this.check();
        const members: Record<string, string[]> = {};
        for (const id of request.GroupIds) if (this.groups.has(id)) members[id] = [];
        for (const [userId, groups] of this.memberships) for (const id of groups) members[id]?.push(userId);
        return { Members: members };
      },
    };
  }
}

export interface Harness {
  transport: BusTransport;
  database: TestDatabase;
  replicas: INestMicroservice[];
  bus: BusClient & { close(): Promise<void> };
  identity: FakeIdentity;
  directory: FakeDirectory;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Authorization services on the same bus prefix and database (queue group `authorization`). */
  replicas?: number;
  logger?: Logger;
  env?: Record<string, string>;
}

/**
 * The authorization service on real NATS and PostgreSQL, with identity and
 * directory stood in for by in-memory fakes on the same bus.
 */
export async function startAuthorization(options: HarnessOptions = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const transport = isolatedNatsTransport();
  const identity = new FakeIdentity();
  const directory = new FakeDirectory();
  const stubs = [
    await startStubService(transport, 'identity', identity.handlers()),
    await startStubService(transport, 'directory', directory.handlers()),
  ];
  const env = AuthorizationEnv.parse({ DATABASE_URL: database.url, IAM_ACCOUNT_ID: ACCOUNT, IAM_DB_POOL_SIZE: '3', IAM_AWS_MANAGED_POLICIES: 'builtin', ...options.env });
  const replicas: INestMicroservice[] = [];
  for (let i = 0; i < (options.replicas ?? 1); i++) {
    replicas.push(
      await startService({
        name: 'authorization',
        module: AuthorizationServiceModule.register(authorizationOptions(env, transport)),
        transport,
        logger: options.logger ?? silentLogger('authorization'),
      }),
    );
  }
  const bus = await testBusClient(transport);
  return {
    transport,
    database,
    replicas,
    bus,
    identity,
    directory,
    close: async () => {
      await bus.close();
      for (const replica of replicas) await replica.close();
      for (const stub of stubs) await stub.close();
      await database.drop();
    },
  };
}

/** The code and message of a call that must fail. */
export function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: IamError) => ({ code: error.code, message: error.message }),
  );
}

/** A policy document with the given statements. */
export function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export const allow = (action: string | string[], resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
export const deny = (action: string | string[], resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });

export const policyArn = (name: string, path = '/') => Arns.policy(ACCOUNT, path, name);
