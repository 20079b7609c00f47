import { Injectable, Logger } from '@nestjs/common';
import { BusClient, EventName, PayloadOf } from '@iam/contracts';

/**
 * Publishes domain events after the change committed. A failed publish is
 * logged and never undoes the change.
 */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger(EventPublisher.name);

  constructor(private readonly bus: BusClient) {}

  async publish<E extends EventName>(event: E, payload: PayloadOf<E>): Promise<void> {
    try {
      await this.bus.emit(event, payload);
    } catch (error) {
      this.logger.warn(`Could not publish ${event}: ${(error as Error).message}`);
    }
  }
}
