import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CredentialScope,
  deriveSigningKey,
  signaturesEqual,
  signStringToSign,
} from '@iam/aws-protocol';
import { GetSigningKeyReply, GetSigningKeyRequest, Principal, RecordAccessKeyUseRequest, VerifySignatureRequest } from '@iam/contracts';
import { Clock } from '@iam/platform';
import { AccessKeysStore, KeyWithUser } from '../access-keys/access-keys.store';
import { KeyUsageRecorder } from '../access-keys/key-usage.recorder';
import { SecretCipher } from '../access-keys/secret-cipher';
import { rootPrincipal, userPrincipal } from '../account/principals';
import { RootAccountService } from '../account/root-account.service';
import { IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { IdentityErrors } from '../shared/errors';
import { SigningKeyCache } from './signing-key-cache';

/**
 * The identity side of SigV4: the key's status is read from the database on
 * every call (so a deactivated key is refused by every replica at once); the
 * signing key is derived from the secret (or taken from the cache of derived
 * keys) and the signatures compared in constant time, or handed to a
 * gateway that verifies signatures itself (good for one day, region and
 * service, as AWS hands them out). Secrets never leave this class, and
 * derived keys leave it only as that reply (never in a log line).
 */
@Injectable()
export class SignaturesService {
  private readonly logger = new Logger(SignaturesService.name);

  constructor(
    private readonly keys: AccessKeysStore,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityServiceOptions,
    private readonly root: RootAccountService,
    private readonly cipher: SecretCipher,
    private readonly signingKeys: SigningKeyCache,
    private readonly usage: KeyUsageRecorder,
    private readonly clock: Clock,
  ) {}

  async verify(request: VerifySignatureRequest): Promise<Principal> {
    const scope = scopeOf(request.Scope);
    const { principal, root, signingKey } = await this.authenticate(request.AccessKeyId, scope);
    if (!signaturesEqual(signStringToSign(signingKey, request.StringToSign), request.Signature)) {
      throw IdentityErrors.signatureDoesNotMatch();
    }
    this.usage.record({ accessKeyId: request.AccessKeyId, root, at: this.clock.now(), service: scope.service, region: scope.region });
    return principal;
  }

  /**
   * The derived signing key of an active key for one scope, with its
   * principal, for a gateway that verifies signatures itself. The same checks
   * as `verify`; records no use (the gateway reports uses with `recordUses`).
   */
  async signingKey(request: GetSigningKeyRequest): Promise<GetSigningKeyReply> {
    const { principal, signingKey } = await this.authenticate(request.AccessKeyId, scopeOf(request.Scope));
    return { SigningKey: signingKey.toString('hex'), Principal: principal };
  }

  /** Uses a gateway verified itself, recorded as `verify` records its own (unknown keys are ignored when written). */
  recordUses(request: RecordAccessKeyUseRequest): void {
    for (const use of request.Uses) {
      this.usage.record({ accessKeyId: use.AccessKeyId, root: this.root.isRootKey(use.AccessKeyId), at: new Date(use.At), service: use.Service, region: use.Region });
    }
  }

  /** Drops derived keys another replica's change made useless (the database check already refuses them). */
  forget(accessKeyId: string): void {
    this.signingKeys.invalidate(accessKeyId);
  }

  /**
   * Checks the key (root, or an active key of an active user, read from the
   * database on every call) and answers its principal and its derived signing
   * key for `scope` (from the cache, or derived from the secret and cached).
   */
  private async authenticate(accessKeyId: string, scope: CredentialScope): Promise<{ principal: Principal; root: boolean; signingKey: Buffer }> {
    const root = this.root.isRootKey(accessKeyId);
    let principal: Principal;
    let secret: () => string;
    if (root) {
      principal = rootPrincipal(this.options.accountId);
      secret = () => this.options.root.secretAccessKey as string;
    } else {
      const row = await this.activeKey(accessKeyId);
      principal = userPrincipal(this.options.accountId, { userId: row.userId, name: row.name, path: row.path, tags: row.tags });
      secret = () => this.open(row, accessKeyId);
    }

    let signingKey = this.signingKeys.get(accessKeyId, scope);
    if (!signingKey) {
      signingKey = deriveSigningKey(secret(), scope.date, scope.region, scope.service);
      this.signingKeys.set(accessKeyId, scope, signingKey);
    }
    return { principal, root, signingKey };
  }

  private async activeKey(accessKeyId: string): Promise<KeyWithUser> {
    const row = await this.keys.withUser(accessKeyId);
    if (!row || row.status !== 'Active' || row.state !== 'active') {
      this.signingKeys.invalidate(accessKeyId);
      throw IdentityErrors.invalidClientTokenId();
    }
    return row;
  }

  private open(row: KeyWithUser, accessKeyId: string): string {
    try {
      return this.cipher.open({ keyId: row.masterKeyId, sealed: row.secretSealed }, accessKeyId);
    } catch (error) {
      this.logger.error(`The secret of access key ${accessKeyId} cannot be decrypted: ${(error as Error).message}`);
      throw IdentityErrors.internal();
    }
  }
}

function scopeOf(scope: VerifySignatureRequest['Scope']): CredentialScope {
  return { date: scope.Date, region: scope.Region, service: scope.Service };
}
