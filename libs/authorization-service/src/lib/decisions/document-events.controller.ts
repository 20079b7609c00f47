import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuthorizationEvents } from '@iam/contracts';
import { z } from 'zod';
import { PolicySets } from './policy-sets';

const Written = z.union([
  z.object({ Kind: z.literal('managed'), PolicyId: z.string().min(1), VersionId: z.string().min(1) }),
  z.object({ Kind: z.literal('inline'), PrincipalId: z.string().min(1), PolicyName: z.string().min(1) }),
]);

/** Compiles documents written on other replicas ahead of the decisions that need them. */
@Controller()
export class DocumentEventsController {
  private readonly logger = new Logger(DocumentEventsController.name);

  constructor(private readonly policySets: PolicySets) {}

  @EventPattern(AuthorizationEvents.PolicyDocumentWritten)
  async written(@Payload() payload: unknown): Promise<void> {
    const parsed = Written.safeParse(payload);
    if (!parsed.success) {
      this.logger.warn(`Ignored a ${AuthorizationEvents.PolicyDocumentWritten} event that is not the contract`);
      return;
    }
    try {
      await this.policySets.precompile(parsed.data);
    } catch (error) {
      this.logger.warn(`Could not compile a written policy document ahead of use: ${(error as Error).message}`);
    }
  }
}
