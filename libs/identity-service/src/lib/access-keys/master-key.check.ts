import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigError } from '@iam/platform';
import { AccessKeysStore } from './access-keys.store';
import { SecretCipher } from './secret-cipher';

/**
 * At start-up: every stored secret must be readable with the configured
 * master keys, or the service refuses to start with one configuration line
 * (`IAM_MASTER_KEY is required: ...` / `IAM_MASTER_KEY does not match ...`).
 * Without any master key and without stored secrets the service starts, and
 * `CreateAccessKey` answers `ServiceUnavailable` until a key is configured.
 */
@Injectable()
export class MasterKeyCheck implements OnModuleInit {
  private readonly logger = new Logger(MasterKeyCheck.name);

  constructor(
    private readonly keys: AccessKeysStore,
    private readonly cipher: SecretCipher,
  ) {}

  async onModuleInit(): Promise<void> {
    const rows = await this.keys.secretsByMasterKey();
    const unreadable = rows.filter((row) => !this.cipher.knows(row.masterKeyId));
    if (unreadable.length > 0) {
      const count = unreadable.reduce((sum, row) => sum + row.secrets, 0);
      const ids = unreadable.map((row) => row.masterKeyId).join(', ');
      throw new ConfigError([
        this.cipher.currentKeyId
          ? `IAM_MASTER_KEY does not match the master key (id ${ids}) of ${count} stored access key secret(s); set IAM_MASTER_KEY_PREVIOUS to that key and run rotate-master-key`
          : `IAM_MASTER_KEY is required: the database holds ${count} access key secret(s) encrypted under master key id ${ids}`,
      ]);
    }
    if (!this.cipher.currentKeyId) {
      this.logger.warn('IAM_MASTER_KEY is not set: access keys cannot be created until it is.');
    }
  }
}
