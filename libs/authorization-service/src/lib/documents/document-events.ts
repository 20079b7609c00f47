import { Injectable, Logger } from '@nestjs/common';
import { AuthorizationEvents, BusClient, PolicyDocumentWritten } from '@iam/contracts';

/** Tells every replica, after commit, that a policy document was written. */
@Injectable()
export class DocumentEvents {
  private readonly logger = new Logger(DocumentEvents.name);

  constructor(private readonly bus: BusClient) {}

  async written(event: PolicyDocumentWritten): Promise<void> {
    try {
      await this.bus.emit(AuthorizationEvents.PolicyDocumentWritten, event);
    } catch (error) {
      // Only a speed-up: a replica compiles the document when a decision first needs it.
      this.logger.warn(`Could not publish ${AuthorizationEvents.PolicyDocumentWritten}: ${(error as Error).message}`);
    }
  }
}
