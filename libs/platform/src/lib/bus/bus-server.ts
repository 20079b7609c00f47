import { BaseRpcContext, CustomTransportStrategy, ReadPacket, Server, Transport, WritePacket } from '@nestjs/microservices';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants';
import type { DirectHandler } from './direct-handlers';
import type { HeadersLike } from './handlers';
import type { InFlightTracker } from './in-flight';

/** A decoded message: a request when it has an id, an event otherwise. */
export type IncomingPacket = ReadPacket & { id?: string };

/**
 * What every transport's server does with a decoded message, as Nest's own
 * NATS server does it: an event goes to its handlers; a request to its one
 * handler, whose result (or error) is published back with the request's id.
 */
export abstract class BusServer extends Server implements CustomTransportStrategy {
  abstract override readonly transportId: Transport | symbol;
  private direct = new Map<string, DirectHandler>();

  /** Requests on these patterns skip Nest's per-message pipeline (see `directHandlers`). */
  useDirectHandlers(handlers: Map<string, DirectHandler>): void {
    this.direct = handlers;
  }

  /**
   * Counted in `inFlight` from the moment it arrives until its last reply is published (or its
   * event handlers end), so a shutdown waits for every message this replica took, even one still
   * on its way to its handler (guards, validation) when the signal came.
   */
  protected async dispatch(
    channel: string,
    packet: IncomingPacket,
    context: BaseRpcContext<[string, HeadersLike | undefined]>,
    reply: (response: WritePacket & { id: string }) => void,
    inFlight: InFlightTracker,
  ): Promise<void> {
    inFlight.start();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      inFlight.end();
    };
    try {
      if (packet.id === undefined) {
        await this.handleEvent(channel, packet, context);
        end();
        return;
      }
      const id = packet.id;
      const publish = (response: WritePacket) => {
        try {
          reply({ ...response, id });
        } finally {
          if (response.isDisposed || response.err !== undefined) end();
        }
      };
      const direct = this.direct.get(channel);
      if (direct) {
        const [subject, headers] = context.getArgs();
        publish({ ...(await direct(packet.data, headers, subject)), isDisposed: true });
        return;
      }
      const handler = this.getHandlerByPattern(channel);
      if (!handler) {
        publish({ status: 'error', err: NO_MESSAGE_HANDLER } as WritePacket);
        return;
      }
      this.onProcessingStartHook(this.transportId, context, async () => {
        try {
          const response$ = this.transformToObservable(await handler(packet.data, context));
          if (response$) this.send(response$, publish);
          else end();
        } catch (error) {
          end();
          throw error;
        }
      });
    } catch (error) {
      end();
      throw error;
    }
  }
}
