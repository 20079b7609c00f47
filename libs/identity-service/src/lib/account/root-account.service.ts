import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Arns, RootUser } from '@iam/contracts';
import { DataSource } from 'typeorm';
import { IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { PasswordHasher } from '../passwords/password-hasher';
import { iso } from '../shared/iso';
import { AccountEntity } from './account.entity';
import { AccountStore } from './account.store';

/**
 * The account's root user: its keys and console password come from the
 * configuration (`IAM_ROOT_ACCESS_KEY_ID`/`IAM_ROOT_SECRET_ACCESS_KEY`,
 * `IAM_ROOT_PASSWORD`); identity keeps its creation date, last sign-in and a
 * hash of its password (so a changed password ends root's sessions).
 */
@Injectable()
export class RootAccountService implements OnModuleInit {
  private readonly logger = new Logger(RootAccountService.name);

  constructor(
    private readonly db: DataSource,
    private readonly store: AccountStore,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityServiceOptions,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Brings the stored root password hash in line with the configuration. */
  async onModuleInit(): Promise<void> {
    const configured = this.options.root.password;
    const account = await this.account();
    if (configured) {
      if (account.rootPasswordHash && (await this.hasher.verify(account.rootPasswordHash, configured))) {
        if (this.hasher.needsRehash(account.rootPasswordHash)) {
          await this.storePasswordHash(await this.hasher.hash(configured), false);
        }
        return;
      }
      await this.storePasswordHash(await this.hasher.hash(configured), true);
      this.logger.log('The root password was set or changed; root console sessions were ended.');
    } else if (account.rootPasswordHash) {
      await this.storePasswordHash(null, true);
      this.logger.log('The root password was removed; root console sessions were ended.');
    }
  }

  async account(): Promise<AccountEntity> {
    const account = await this.store.find();
    if (!account) throw new Error('The identity account row is missing; the migrations did not run.');
    return account;
  }

  async rootUser(): Promise<RootUser> {
    const account = await this.account();
    const user: RootUser = {
      UserId: this.options.accountId,
      Arn: Arns.root(this.options.accountId),
      CreateDate: account.rootCreateDate.toISOString(),
    };
    const lastUsed = iso(account.rootPasswordLastUsed);
    if (lastUsed) user.PasswordLastUsed = lastUsed;
    return user;
  }

  /** Is `accessKeyId` the root's configured key? */
  isRootKey(accessKeyId: string): boolean {
    return this.hasKey() && accessKeyId === this.options.root.accessKeyId;
  }

  /** Does the root user have an access key (configured)? */
  hasKey(): boolean {
    return Boolean(this.options.root.accessKeyId && this.options.root.secretAccessKey);
  }

  private async storePasswordHash(hash: string | null, endSessions: boolean): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.store.setRootPasswordHash(manager, hash);
      if (endSessions) await this.store.endRootSessions(manager);
    });
  }
}
