import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AccessKeyMetadata,
  Arns,
  Caller,
  CreateAccessKeyReply,
  GetAccessKeyLastUsedReply,
  IdentityEvents,
  ListAccessKeysReply,
  ListAccessKeysRequest,
  UpdateAccessKeyRequest,
} from '@iam/contracts';
import { Clock, IdGenerator, invalidMarker, Listing } from '@iam/platform';
import { DataSource } from 'typeorm';
import { RootAccountService } from '../account/root-account.service';
import { IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { IdentityErrors } from '../shared/errors';
import { EventPublisher } from '../shared/events';
import { iso } from '../shared/iso';
import { SecretGenerator } from '../shared/secrets';
import { SigningKeyCache } from '../signatures/signing-key-cache';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AccessKeysStore } from './access-keys.store';
import { SecretCipher } from './secret-cipher';

/** AWS's quota of access keys per user. */
export const ACCESS_KEYS_PER_USER = 2;

const ACCESS_KEYS = new Listing<[createDate: string, accessKeyId: string]>('access-keys', 2);

type Owner = { kind: 'root' } | { kind: 'user'; user: UserEntity };

/** Programmatic credentials: at most two keys per user, secrets sealed at rest and shown once. */
@Injectable()
export class AccessKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: AccessKeysStore,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityServiceOptions,
    private readonly users: UsersService,
    private readonly root: RootAccountService,
    private readonly cipher: SecretCipher,
    private readonly ids: IdGenerator,
    private readonly secrets: SecretGenerator,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
    private readonly signingKeys: SigningKeyCache,
  ) {}

  async create(userName: string | undefined, caller: Caller | undefined): Promise<CreateAccessKeyReply> {
    const owner = await this.owner(userName, caller);
    if (owner.kind === 'root') throw IdentityErrors.rootKeysAreConfiguration();
    if (!this.cipher.currentKeyId) throw IdentityErrors.noMasterKey();
    const accessKeyId = this.ids.next('AKIA', 16);
    const secret = this.secrets.secretAccessKey();
    const { keyId, sealed } = this.cipher.seal(secret, accessKeyId);
    const now = this.clock.now();
    const user = await this.dataSource.transaction(async (manager) => {
      const locked = await this.users.lockById(manager, owner.user.userId);
      if ((await this.keys.countOfUser(manager, locked.userId)) >= ACCESS_KEYS_PER_USER) {
        throw IdentityErrors.accessKeyLimit();
      }
      await this.keys.add(manager, {
        accessKeyId,
        userId: locked.userId,
        status: 'Active',
        createDate: now,
        secretSealed: sealed,
        masterKeyId: keyId,
        lastUsedDate: null,
        lastUsedService: null,
        lastUsedRegion: null,
      });
      return locked;
    });
    return {
      AccessKey: { UserName: user.name, AccessKeyId: accessKeyId, Status: 'Active', SecretAccessKey: secret, CreateDate: now.toISOString() },
    };
  }

  async list(request: ListAccessKeysRequest): Promise<ListAccessKeysReply> {
    const owner = await this.owner(request.UserName, request.Caller);
    if (owner.kind === 'root') return this.listRoot();
    const page = ACCESS_KEYS.query(request);
    let after: { createDate: Date; accessKeyId: string } | undefined;
    if (page.after !== undefined) {
      const [createDate, accessKeyId] = page.after;
      after = { createDate: new Date(createDate), accessKeyId };
      if (Number.isNaN(after.createDate.getTime())) throw invalidMarker();
    }
    const keys = await this.keys.pageOfUser(owner.user.userId, after, page.limit);
    const { items, page: shown } = ACCESS_KEYS.page(keys, page, (key) => [key.createDate.toISOString(), key.accessKeyId]);
    return {
      AccessKeyMetadata: items.map((key) => ({
        UserName: owner.user.name,
        AccessKeyId: key.accessKeyId,
        Status: key.status,
        CreateDate: key.createDate.toISOString(),
      })),
      ...shown,
    };
  }

  async updateStatus(request: UpdateAccessKeyRequest): Promise<void> {
    const owner = await this.owner(request.UserName, request.Caller);
    if (owner.kind === 'root') throw this.rootKeyError(request.AccessKeyId);
    if (!(await this.keys.setStatus(request.AccessKeyId, owner.user.userId, request.Status))) throw IdentityErrors.noSuchAccessKey(request.AccessKeyId);
    if (request.Status === 'Inactive') await this.revoked(owner.user.userId, request.AccessKeyId);
  }

  async delete(userName: string | undefined, caller: Caller | undefined, accessKeyId: string): Promise<void> {
    const owner = await this.owner(userName, caller);
    if (owner.kind === 'root') throw this.rootKeyError(accessKeyId);
    if (!(await this.keys.remove(accessKeyId, owner.user.userId))) throw IdentityErrors.noSuchAccessKey(accessKeyId);
    await this.revoked(owner.user.userId, accessKeyId);
  }

  async lastUsed(accessKeyId: string): Promise<GetAccessKeyLastUsedReply> {
    if (this.root.isRootKey(accessKeyId)) {
      const account = await this.root.account();
      const used = account.rootKeyId === accessKeyId && account.rootKeyLastUsedDate !== null;
      return {
        UserName: 'root',
        UserArn: Arns.root(this.options.accountId),
        AccessKeyLastUsed: lastUsedOf(
          used ? account.rootKeyLastUsedDate : null,
          account.rootKeyLastUsedService,
          account.rootKeyLastUsedRegion,
        ),
      };
    }
    const use = await this.keys.lastUse(accessKeyId);
    if (!use) throw IdentityErrors.noSuchAccessKey(accessKeyId);
    return {
      UserName: use.name,
      UserArn: Arns.user(this.options.accountId, use.path, use.name),
      AccessKeyLastUsed: lastUsedOf(use.lastUsedDate, use.lastUsedService, use.lastUsedRegion),
    };
  }

  /** `UserName` when given, else the caller. */
  private async owner(userName: string | undefined, caller: Caller | undefined): Promise<Owner> {
    if (userName !== undefined) return { kind: 'user', user: await this.users.byName(userName) };
    if (!caller) throw IdentityErrors.missingUserName();
    if (caller.Type === 'root') return { kind: 'root' };
    return { kind: 'user', user: await this.users.byId(caller.UserId) };
  }

  private async listRoot(): Promise<ListAccessKeysReply> {
    const keys: AccessKeyMetadata[] = [];
    if (this.options.root.accessKeyId && this.options.root.secretAccessKey) {
      const account = await this.root.account();
      keys.push({ AccessKeyId: this.options.root.accessKeyId, Status: 'Active', CreateDate: account.rootCreateDate.toISOString() });
    }
    return { AccessKeyMetadata: keys, IsTruncated: false };
  }

  private rootKeyError(accessKeyId: string) {
    return this.root.isRootKey(accessKeyId) ? IdentityErrors.rootKeysAreConfiguration() : IdentityErrors.noSuchAccessKey(accessKeyId);
  }

  private async revoked(userId: string, accessKeyId: string): Promise<void> {
    this.signingKeys.invalidate(accessKeyId);
    await this.events.publish(IdentityEvents.CredentialsRevoked, { UserId: userId, Reason: 'access-key', AccessKeyId: accessKeyId });
  }
}

function lastUsedOf(date: Date | null, service: string | null, region: string | null): GetAccessKeyLastUsedReply['AccessKeyLastUsed'] {
  if (!date) return { ServiceName: 'N/A', Region: 'N/A' };
  return { LastUsedDate: iso(date), ServiceName: service ?? 'N/A', Region: region ?? 'N/A' };
}
