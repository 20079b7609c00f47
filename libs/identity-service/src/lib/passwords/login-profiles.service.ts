import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Caller, CreateLoginProfileRequest, IdentityEvents, LoginProfile, UpdateLoginProfileRequest } from '@iam/contracts';
import { Clock, isUniqueViolation } from '@iam/platform';
import { DataSource } from 'typeorm';
import { Subjects } from '../sessions/lockout';
import { SessionsStore } from '../sessions/sessions.store';
import { SignInGuard } from '../sessions/sign-in-guard';
import { IdentityErrors } from '../shared/errors';
import { EventPublisher } from '../shared/events';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { LoginProfileEntity } from './login-profile.entity';
import { LoginProfileChanges, LoginProfilesStore } from './login-profiles.store';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicyService } from './password-policy.service';
import { PasswordWork } from './password-work';
import { passwordExpired } from './password-rules';
import { PasswordWriter } from './password-writer';

/**
 * The source ChangePassword's old-password attempts are counted under: the
 * caller is already signed in, so its attempts form one pair of their own.
 */
const CHANGE_PASSWORD_SOURCE = 'change-password';

/** Console passwords: an administrator's login profiles and a user's own password change. */
@Injectable()
export class LoginProfilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly profiles: LoginProfilesStore,
    private readonly sessions: SessionsStore,
    private readonly users: UsersService,
    private readonly writer: PasswordWriter,
    private readonly policy: PasswordPolicyService,
    private readonly hasher: PasswordHasher,
    private readonly guard: SignInGuard,
    private readonly work: PasswordWork,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  async create(request: CreateLoginProfileRequest): Promise<LoginProfile> {
    const user = await this.users.byName(request.UserName);
    if (user.state === 'deleting') throw IdentityErrors.userBeingDeleted(user.name);
    if (await this.profiles.exists(user.userId)) throw IdentityErrors.loginProfileExists(user.name);
    const hash = await this.writer.prepare(user, request.Password);
    const now = this.clock.now();
    const profile: LoginProfileEntity = {
      userId: user.userId,
      passwordHash: hash,
      createDate: now,
      passwordChangedAt: now,
      passwordResetRequired: request.PasswordResetRequired ?? false,
    };
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.users.lockByName(manager, user.name);
        await this.profiles.add(manager, profile);
        await this.writer.remember(manager, user.userId, hash, now);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw IdentityErrors.loginProfileExists(user.name);
      throw error;
    }
    return toLoginProfile(user, profile);
  }

  async get(name: string): Promise<LoginProfile> {
    const user = await this.users.byName(name);
    const profile = await this.profiles.find(user.userId);
    if (!profile) throw IdentityErrors.noSuchLoginProfile(user.name);
    return toLoginProfile(user, profile);
  }

  /** An administrator's reset: a new password and/or the reset-required flag. */
  async update(request: UpdateLoginProfileRequest): Promise<void> {
    const user = await this.users.byName(request.UserName);
    if (!(await this.profiles.exists(user.userId))) throw IdentityErrors.noSuchLoginProfile(user.name);
    const hash = request.Password === undefined ? undefined : await this.writer.prepare(user, request.Password);
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.users.lockByName(manager, user.name);
      const changes: LoginProfileChanges = {};
      if (request.PasswordResetRequired !== undefined) changes.passwordResetRequired = request.PasswordResetRequired;
      if (hash !== undefined) Object.assign(changes, { passwordHash: hash, passwordChangedAt: now });
      if (Object.keys(changes).length === 0) return;
      if (!(await this.profiles.update(manager, locked.userId, changes))) throw IdentityErrors.noSuchLoginProfile(locked.name);
      if (hash !== undefined) {
        await this.writer.remember(manager, locked.userId, hash, now);
        await this.sessions.endAllOf(manager, locked.userId);
        await this.guard.clear(Subjects.user(locked.name), manager);
      }
    });
    if (hash !== undefined) await this.events.publish(IdentityEvents.CredentialsRevoked, { UserId: user.userId, Reason: 'password' });
  }

  /** Removes the console password and ends the user's console sessions at once. */
  async delete(name: string): Promise<void> {
    const user = await this.dataSource.transaction(async (manager) => {
      const locked = await this.users.lockByName(manager, name, { allowDeleting: true });
      if (!(await this.profiles.remove(manager, locked.userId))) throw IdentityErrors.noSuchLoginProfile(locked.name);
      await this.sessions.endAllOf(manager, locked.userId);
      return locked;
    });
    await this.events.publish(IdentityEvents.CredentialsRevoked, { UserId: user.userId, Reason: 'login-profile' });
  }

  /** The caller changes its own password; every console session of the user ends. */
  async change(caller: Caller, oldPassword: string, newPassword: string): Promise<void> {
    if (caller.Type === 'root') throw IdentityErrors.rootPasswordIsConfiguration();
    const user = await this.users.byId(caller.UserId);
    const profile = await this.profiles.find(user.userId);
    if (!profile) throw IdentityErrors.noSuchLoginProfile(user.name);

    const now = this.clock.now();
    const subject = Subjects.user(user.name);
    // Counted before the check, in one turn of the password queue, as a sign-in attempt is.
    const outcome = await this.work.run(async () => {
      if (!(await this.guard.admit(subject, CHANGE_PASSWORD_SOURCE, now))) return 'locked';
      return (await this.hasher.verify(profile.passwordHash, oldPassword)) ? 'right' : 'wrong';
    });
    if (outcome === 'locked') throw IdentityErrors.tooManyPasswordAttempts();
    if (outcome === 'wrong') throw IdentityErrors.wrongOldPassword();
    const rules = await this.policy.rules();
    if (rules.hardExpiry && passwordExpired(profile.passwordChangedAt, rules, now)) throw IdentityErrors.passwordExpiredHard();
    const hash = await this.writer.prepare(user, newPassword, rules);

    await this.dataSource.transaction(async (manager) => {
      const locked = await this.users.lockByName(manager, user.name);
      const changed = await this.profiles.update(manager, locked.userId, { passwordHash: hash, passwordChangedAt: now, passwordResetRequired: false });
      if (!changed) throw IdentityErrors.noSuchLoginProfile(locked.name);
      await this.writer.remember(manager, locked.userId, hash, now);
      await this.sessions.endAllOf(manager, locked.userId);
      await this.guard.clear(subject, manager);
    });
    await this.events.publish(IdentityEvents.CredentialsRevoked, { UserId: user.userId, Reason: 'password' });
  }
}

function toLoginProfile(user: UserEntity, profile: LoginProfileEntity): LoginProfile {
  return { UserName: user.name, CreateDate: profile.createDate.toISOString(), PasswordResetRequired: profile.passwordResetRequired };
}
