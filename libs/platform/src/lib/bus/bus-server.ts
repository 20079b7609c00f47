import { BaseRpcContext, CustomTransportStrategy, ReadPacket, Server, Transport, WritePacket } from '@nestjs/microservices';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants';
import type { DirectHandler } from './direct-handlers';
import type { HeadersLike } from './handlers';

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

  protected async dispatch(
    channel: string,
    packet: IncomingPacket,
    context: BaseRpcContext<[string, HeadersLike | undefined]>,
    reply: (response: WritePacket & { id: string }) => void,
  ): Promise<void> {
    if (packet.id === undefined) {
      await this.handleEvent(channel, packet, context);
      return;
    }
    const id = packet.id;
    const direct = this.direct.get(channel);
    if (direct) {
      const [subject, headers] = context.getArgs();
      reply({ ...(await direct(packet.data, headers, subject)), isDisposed: true, id });
      return;
    }
    const publish = (response: WritePacket) => reply({ ...response, id });
    const handler = this.getHandlerByPattern(channel);
    if (!handler) {
      publish({ status: 'error', err: NO_MESSAGE_HANDLER } as WritePacket);
      return;
    }
    this.onProcessingStartHook(this.transportId, context, async () => {
      const response$ = this.transformToObservable(await handler(packet.data, context));
      if (response$) this.send(response$, publish);
    });
  }
}
