import { Controller, Logger } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { AuthorizationPatterns as P, DirectoryEvents, IdentityEvents, ReplyOf, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { z } from 'zod';
import { PrincipalDeletionService } from './principal-deletion.service';

const UserDeleted = z.object({ UserId: z.string().min(1).max(128) });
const GroupDeleted = z.object({ GroupId: z.string().min(1).max(128) });

/**
 * Begin/cancel of a principal's delete, and the cleanup when identity or
 * directory reports the principal gone. Event handlers own their errors:
 * every replica receives every event and nothing flows back to the publisher.
 */
@Controller()
export class PrincipalDeletionController {
  private readonly logger = new Logger(PrincipalDeletionController.name);

  constructor(private readonly deletion: PrincipalDeletionService) {}

  @MessagePattern(P.BeginPrincipalDelete)
  begin(@Payload(contract(P.BeginPrincipalDelete)) request: RequestOf<typeof P.BeginPrincipalDelete>): Promise<ReplyOf<typeof P.BeginPrincipalDelete>> {
    return this.deletion.begin(request);
  }

  @MessagePattern(P.CancelPrincipalDelete)
  async cancel(
    @Payload(contract(P.CancelPrincipalDelete)) request: RequestOf<typeof P.CancelPrincipalDelete>,
  ): Promise<ReplyOf<typeof P.CancelPrincipalDelete>> {
    await this.deletion.cancel(request);
    return {};
  }

  @EventPattern(IdentityEvents.UserDeleted)
  async userDeleted(@Payload() payload: unknown): Promise<void> {
    const parsed = UserDeleted.safeParse(payload);
    if (!parsed.success) {
      this.logger.warn(`Ignored a ${IdentityEvents.UserDeleted} event without a valid UserId`);
      return;
    }
    await this.forget({ PrincipalType: 'user', PrincipalId: parsed.data.UserId });
  }

  @EventPattern(DirectoryEvents.GroupDeleted)
  async groupDeleted(@Payload() payload: unknown): Promise<void> {
    const parsed = GroupDeleted.safeParse(payload);
    if (!parsed.success) {
      this.logger.warn(`Ignored a ${DirectoryEvents.GroupDeleted} event without a valid GroupId`);
      return;
    }
    await this.forget({ PrincipalType: 'group', PrincipalId: parsed.data.GroupId });
  }

  private async forget(ref: { PrincipalType: 'user' | 'group'; PrincipalId: string }): Promise<void> {
    try {
      await this.deletion.forget(ref);
    } catch (error) {
      this.logger.error(`Could not drop the policies of deleted ${ref.PrincipalType} ${ref.PrincipalId}: ${(error as Error).message}`);
    }
  }
}
