import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IamError, IdentityEvents } from '@iam/contracts';
import { DataSource } from 'typeorm';
import { AccessKeysStore } from '../access-keys/access-keys.store';
import { LoginProfilesStore } from '../passwords/login-profiles.store';
import { Subjects } from '../sessions/lockout';
import { SignInFailuresStore } from '../sessions/sign-in-failures.store';
import { IdentityErrors } from '../shared/errors';
import { EventPublisher } from '../shared/events';
import { AuthorizationPrincipals, DirectoryUsers, PolicyCounts } from '../shared/neighbours';
import { UserEntity } from './user.entity';
import { UsersService } from './users.service';
import { UsersStore } from './users.store';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: IamError };

/**
 * DeleteUser across the three services, never holding a transaction while
 * it talks on the bus:
 *
 * 1. One short transaction: refuse (`DeleteConflict`) while the user has a
 *    login profile or access keys, else mark it `deleting` (from then on no
 *    key or login profile can be added to it).
 * 2. Ask directory and authorization to begin the delete (from then on they
 *    refuse to add the user to a group or attach policies to it) and read the
 *    memberships and policies that remain.
 * 3. If anything remains or a neighbour failed: cancel both, set the user
 *    back to `active` and answer `DeleteConflict` (or the neighbour's error,
 *    `ServiceUnavailable` when it did not answer). If a cancel fails, the
 *    user stays `deleting` until DeleteUser is tried again.
 * 4. Else delete the user's rows and publish `identity.user.deleted`.
 *
 * A user already `deleting` (an interrupted delete) goes through the same
 * steps again, so retrying is safe; the neighbours' begin/cancel calls are
 * idempotent.
 */
@Injectable()
export class DeleteUserService {
  private readonly logger = new Logger(DeleteUserService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly store: UsersStore,
    private readonly profiles: LoginProfilesStore,
    private readonly keys: AccessKeysStore,
    private readonly failures: SignInFailuresStore,
    private readonly directory: DirectoryUsers,
    private readonly authorization: AuthorizationPrincipals,
    private readonly events: EventPublisher,
  ) {}

  async delete(name: string): Promise<void> {
    const user = await this.markDeleting(name);

    const [memberships, policies] = await Promise.all([
      attempt(() => this.directory.beginUserDelete(user.userId)),
      attempt(() => this.authorization.beginUserDelete(user.userId)),
    ]);

    const refusal = refusalOf(memberships, policies);
    if (refusal) {
      await this.cancel(user);
      throw refusal;
    }
    await this.remove(user);
  }

  /** Step 1. */
  private async markDeleting(name: string): Promise<UserEntity> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.lockByName(manager, name, { allowDeleting: true });
      if (await this.profiles.exists(user.userId, manager)) throw IdentityErrors.deleteConflict('login profile');
      if (await this.keys.anyOfUser(manager, user.userId)) throw IdentityErrors.deleteConflict('access keys');
      if (user.state !== 'deleting') await this.store.setState(manager, user.userId, 'deleting');
      return user;
    });
  }

  /** Step 3: undo the begins; the user becomes `active` again only if both neighbours confirmed. */
  private async cancel(user: UserEntity): Promise<void> {
    const results = await Promise.all([
      attempt(() => this.directory.cancelUserDelete(user.userId)),
      attempt(() => this.authorization.cancelUserDelete(user.userId)),
    ]);
    const failed = results.filter((result): result is { ok: false; error: IamError } => !result.ok);
    if (failed.length > 0) {
      this.logger.warn(
        `DeleteUser of ${user.userId} did not go ahead and could not be cancelled everywhere (${failed
          .map((result) => result.error.code)
          .join(', ')}); the user stays marked as being deleted until DeleteUser is tried again.`,
      );
      return;
    }
    await this.store.reactivate(user.userId);
  }

  /** Step 4. */
  private async remove(user: UserEntity): Promise<void> {
    const removed = await this.dataSource.transaction(async (manager) => {
      const current = await this.store.lockById(manager, user.userId);
      if (!current) return null;
      if (current.state !== 'deleting') throw IdentityErrors.concurrentDelete(current.name);
      await this.store.remove(manager, current.userId);
      await this.failures.forgetPrincipal(Subjects.user(current.name), manager);
      return current;
    });
    if (removed) await this.events.publish(IdentityEvents.UserDeleted, { UserId: removed.userId, UserName: removed.name });
  }
}

async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error: error instanceof IamError ? error : IdentityErrors.internal() };
  }
}

/** Why the delete may not go ahead, in AWS's order, or null when it may. */
function refusalOf(memberships: Outcome<number>, policies: Outcome<PolicyCounts>): IamError | null {
  if (!memberships.ok) return memberships.error;
  if (!policies.ok) return policies.error;
  if (memberships.value > 0) return IdentityErrors.deleteConflict('memberships');
  if (policies.value.attached > 0) return IdentityErrors.deleteConflict('attached policies');
  if (policies.value.inline > 0) return IdentityErrors.deleteConflict('inline policies');
  return null;
}
