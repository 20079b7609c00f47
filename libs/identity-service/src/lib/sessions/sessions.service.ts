import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SessionReply, SignInReply, SignInRequest } from '@iam/contracts';
import { Clock } from '@iam/platform';
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountStore } from '../account/account.store';
import { rootPrincipal, userPrincipal } from '../account/principals';
import { DEFAULT_SESSION_TTL_SECONDS, IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { LoginProfilesStore } from '../passwords/login-profiles.store';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicyService } from '../passwords/password-policy.service';
import { PasswordWork } from '../passwords/password-work';
import { passwordExpired } from '../passwords/password-rules';
import { IdentityErrors } from '../shared/errors';
import { SecretGenerator, tokenHash } from '../shared/secrets';
import { UserEntity } from '../users/user.entity';
import { UsersStore } from '../users/users.store';
import { sourceOf, Subjects } from './lockout';
import { SessionEntity } from './session.entity';
import { SessionsStore } from './sessions.store';
import { SignInGuard } from './sign-in-guard';

/** How long an expired session still answers `ExpiredToken` before it is forgotten. */
const EXPIRED_SESSION_GRACE_MS = 24 * 3600 * 1000;
const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;

interface UserCandidate {
  kind: 'user';
  hash: string;
  user: Pick<UserEntity, 'userId' | 'name' | 'path' | 'tags'>;
  passwordChangedAt: Date;
  passwordResetRequired: boolean;
}
interface RootCandidate {
  kind: 'root';
  hash: string;
}

/**
 * Console sign-in and sessions. A session token is 256 random bits shown
 * once; only its SHA-256 is stored, so a database dump holds no usable token.
 */
@Injectable()
export class SessionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionsService.name);
  private readonly ttlMs: number;
  /** Checked against when there is no real hash, so unknown users cost as much as known ones. */
  private dummyHash!: string;
  private housekeeping?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityServiceOptions,
    private readonly hasher: PasswordHasher,
    private readonly guard: SignInGuard,
    private readonly work: PasswordWork,
    private readonly policy: PasswordPolicyService,
    private readonly clock: Clock,
    private readonly secrets: SecretGenerator,
    private readonly account: AccountStore,
    private readonly sessions: SessionsStore,
    private readonly users: UsersStore,
    private readonly profiles: LoginProfilesStore,
  ) {
    this.ttlMs = (options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS) * 1000;
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hasher.hash(randomBytes(24).toString('base64'));
    this.housekeeping = setInterval(() => void this.forgetStale(), HOUSEKEEPING_INTERVAL_MS);
    this.housekeeping.unref();
  }

  onModuleDestroy(): void {
    if (this.housekeeping) clearInterval(this.housekeeping);
  }

  /**
   * Every failure (unknown user, no login profile, wrong password) costs one
   * argon2 verification and answers the same `SignInFailed`; an attempt a
   * lock refuses answers it too, without hashing, after about as long. The
   * attempt is counted before the password is checked (`SignInGuard.admit`),
   * all of it in one turn of the bounded password queue (`Throttling` when
   * full, then nothing is counted).
   */
  async signIn(request: SignInRequest): Promise<SignInReply> {
    const asRoot = request.Root === true;
    if (asRoot === (request.UserName !== undefined)) throw IdentityErrors.signInTarget();
    const ip = normalizeIp(request.SourceIp);
    const source = sourceOf(ip);
    const principal = asRoot ? Subjects.root() : Subjects.user(request.UserName as string);
    const now = this.clock.now();

    const outcome = await this.work.run(async () => {
      if (!(await this.guard.admit(principal, source, now))) return 'refused' as const;
      const candidate = asRoot ? await this.rootCandidate() : await this.userCandidate(request.UserName as string);
      const matches = await this.hasher.verify(candidate?.hash ?? this.dummyHash, request.Password);
      if (!candidate || !matches) return 'wrong' as const;
      const rehash = this.hasher.needsRehash(candidate.hash) ? await this.hasher.hash(request.Password) : undefined;
      return { candidate, rehash };
    });
    if (outcome === 'refused') {
      await this.work.lookBusy();
      throw IdentityErrors.signInFailed();
    }
    if (outcome === 'wrong') throw IdentityErrors.signInFailed();
    const { candidate, rehash } = outcome;
    await this.guard.succeeded(principal, source);
    return candidate.kind === 'root'
      ? this.startRootSession(candidate, rehash, ip, now)
      : this.startUserSession(candidate, rehash, ip, now);
  }

  async verify(token: string): Promise<SessionReply> {
    const row = await this.sessions.withPrincipal(tokenHash(token));
    if (!row) throw IdentityErrors.invalidToken();
    const now = this.clock.now();
    if (row.expiresAt.getTime() <= now.getTime()) throw IdentityErrors.expiredToken();
    const Expiration = row.expiresAt.toISOString();
    if (row.principalType === 'root') {
      return { Principal: rootPrincipal(this.options.accountId), Expiration, PasswordChangeOnly: false };
    }
    if (!row.userId || row.name === null || row.path === null || row.passwordChangedAt === null) throw IdentityErrors.invalidToken();
    const expired = passwordExpired(row.passwordChangedAt, { maxPasswordAge: row.maxPasswordAge ?? undefined }, now);
    return {
      Principal: userPrincipal(this.options.accountId, { userId: row.userId, name: row.name, path: row.path, tags: row.tags ?? [] }),
      Expiration,
      PasswordChangeOnly: Boolean(row.passwordResetRequired) || expired,
    };
  }

  /** Ends a session; unknown tokens are ignored. */
  async signOut(token: string): Promise<void> {
    await this.sessions.end(tokenHash(token));
  }

  private async userCandidate(name: string): Promise<UserCandidate | null> {
    const found = await this.profiles.ofActiveUser(name);
    if (!found) return null;
    return {
      kind: 'user',
      hash: found.profile.passwordHash,
      user: found.user,
      passwordChangedAt: found.profile.passwordChangedAt,
      passwordResetRequired: found.profile.passwordResetRequired,
    };
  }

  private async rootCandidate(): Promise<RootCandidate | null> {
    if (!this.options.root.password) return null;
    const account = await this.account.find();
    return account?.rootPasswordHash ? { kind: 'root', hash: account.rootPasswordHash } : null;
  }

  private async startUserSession(candidate: UserCandidate, rehash: string | undefined, ip: string, now: Date): Promise<SignInReply> {
    const rules = await this.policy.rules();
    const expired = passwordExpired(candidate.passwordChangedAt, rules, now);
    if (expired && rules.hardExpiry) throw IdentityErrors.passwordExpiredHard();
    const { userId } = candidate.user;
    const token = this.secrets.sessionToken();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.dataSource.transaction(async (manager) => {
      await this.sessions.start(manager, session(token, 'user', userId, now, expiresAt, ip));
      await this.users.recordSignIn(manager, userId, now);
      if (rehash) await this.profiles.rehash(manager, userId, candidate.hash, rehash);
      await this.sessions.forgetExpiredOf(manager, userId, now);
    });
    return {
      SessionToken: token,
      Expiration: expiresAt.toISOString(),
      PasswordChangeOnly: candidate.passwordResetRequired || expired,
      Principal: userPrincipal(this.options.accountId, candidate.user),
    };
  }

  private async startRootSession(candidate: RootCandidate, rehash: string | undefined, ip: string, now: Date): Promise<SignInReply> {
    const token = this.secrets.sessionToken();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.dataSource.transaction(async (manager) => {
      await this.sessions.start(manager, session(token, 'root', null, now, expiresAt, ip));
      await this.account.recordRootSignIn(manager, now, rehash ? { from: candidate.hash, to: rehash } : undefined);
    });
    return {
      SessionToken: token,
      Expiration: expiresAt.toISOString(),
      PasswordChangeOnly: false,
      Principal: rootPrincipal(this.options.accountId),
    };
  }

  private async forgetStale(): Promise<void> {
    const now = this.clock.now();
    try {
      await this.sessions.forgetExpiredBefore(new Date(now.getTime() - EXPIRED_SESSION_GRACE_MS));
      await this.guard.forgetStale(now);
    } catch (error) {
      this.logger.warn(`Could not remove expired sessions: ${(error as Error).message}`);
    }
  }
}

function session(token: string, type: 'user' | 'root', userId: string | null, now: Date, expiresAt: Date, ip: string): SessionEntity {
  return { tokenHash: tokenHash(token), principalType: type, userId, createdAt: now, expiresAt, sourceIp: ip };
}

/** The address as a canonical string, or a `ValidationError`. */
function normalizeIp(value: string): string {
  const version = isIP(value);
  if (version === 0) throw IdentityErrors.badSourceIp(value);
  return version === 6 ? value.toLowerCase() : value;
}
