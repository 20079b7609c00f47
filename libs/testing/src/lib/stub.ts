import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { IamError, Pattern, ReplyOf, RequestOf } from '@iam/contracts';
import { BusTransport, createBusServer, InFlightTracker } from '@iam/platform';
import { throwError } from 'rxjs';

export type StubHandlers = { [P in Pattern]?: (request: RequestOf<P>) => ReplyOf<P> | Promise<ReplyOf<P>> };

/**
 * Answers some patterns of another service on the bus, for specs of one
 * service that need a neighbour. Throw an {@link IamError} from a handler to
 * answer with that error, exactly as the real service would.
 */
export async function startStubService(
  transport: BusTransport,
  service: string,
  handlers: StubHandlers,
): Promise<{ close(): Promise<void> }> {
  const server: Server & CustomTransportStrategy = createBusServer(transport, service, new InFlightTracker());
  for (const [pattern, handle] of Object.entries(handlers)) {
    server.addHandler(pattern, async (data: unknown) => {
      try {
        return await (handle as (request: unknown) => unknown)(data);
      } catch (error) {
        const wire = error instanceof IamError ? error.toWire() : { code: 'ServiceFailure', message: String(error) };
        return throwError(() => wire);
      }
    });
  }
  await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error) : resolve())));
  return { close: async () => void (await server.close()) };
}
