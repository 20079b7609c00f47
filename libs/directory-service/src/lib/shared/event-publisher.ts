import { Injectable, Logger } from '@nestjs/common';
import { BusClient, DirectoryEventMap, PayloadOf } from '@iam/contracts';

/**
 * Publishes the directory's events after commit. A failed publish is logged
 * and never undoes the committed change: nothing depends on these events for
 * a decision (the decision path reads memberships itself).
 */
@Injectable()
export class DirectoryEventPublisher {
  private readonly logger = new Logger(DirectoryEventPublisher.name);

  constructor(private readonly bus: BusClient) {}

  async publish<E extends keyof DirectoryEventMap>(event: E, payload: DirectoryEventMap[E]): Promise<void> {
    try {
      await this.bus.emit(event, payload as PayloadOf<E>);
    } catch (error) {
      this.logger.warn(`Could not publish ${event}: ${(error as Error).message}`);
    }
  }
}
