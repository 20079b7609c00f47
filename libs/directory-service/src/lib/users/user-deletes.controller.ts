import { Controller, Logger } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { DirectoryPatterns as P, IdentityEvents, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { UserDeletesService } from './user-deletes.service';

/** Bus handlers for the directory's part in deleting a user. */
@Controller()
export class UserDeletesController {
  private readonly logger = new Logger(UserDeletesController.name);

  constructor(private readonly userDeletes: UserDeletesService) {}

  @MessagePattern(P.BeginUserDelete)
  async begin(@Payload(contract(P.BeginUserDelete)) request: RequestOf<typeof P.BeginUserDelete>): Promise<{ MembershipCount: number }> {
    return this.userDeletes.begin(request.UserId);
  }

  @MessagePattern(P.CancelUserDelete)
  async cancel(@Payload(contract(P.CancelUserDelete)) request: RequestOf<typeof P.CancelUserDelete>): Promise<Record<string, never>> {
    await this.userDeletes.cancel(request.UserId);
    return {};
  }

  /** Every replica receives it; the handler is idempotent and owns its errors. */
  @EventPattern(IdentityEvents.UserDeleted)
  async userDeleted(@Payload() payload: unknown): Promise<void> {
    const userId = (payload as { UserId?: unknown } | null)?.UserId;
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 128) {
      this.logger.warn(`Ignored a ${IdentityEvents.UserDeleted} event without a valid UserId`);
      return;
    }
    try {
      await this.userDeletes.dropDeletedUser(userId);
    } catch (error) {
      this.logger.error(`Could not drop the memberships of deleted user ${userId}: ${(error as Error).message}`);
    }
  }
}
