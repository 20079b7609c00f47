import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { IamError, parseRequest, Pattern, REPLY_SCHEMAS, ReplyOf, REQUEST_SCHEMAS, RequestOf, validationMessage } from '@iam/contracts';
import { BusTransport, createBusServer, InFlightTracker } from '@iam/platform';
import { throwError } from 'rxjs';
import { z } from 'zod';

export type StubHandlers = { [P in Pattern]?: (request: RequestOf<P>) => ReplyOf<P> | Promise<ReplyOf<P>> };

/** A fake answered something the real service never may: the spec's fake is wrong, not the caller. */
export class StubReplyBreaksContract extends Error {
  constructor(pattern: string, message: string) {
    super(`the fake of ${pattern} answered a reply that breaks the contract: ${message}`);
  }
}

/**
 * Answers some patterns of another service on the bus, for specs of one
 * service that need a neighbour, exactly as the real service would at its
 * edge: a request that breaks the pattern's contract schema is answered with
 * the same `ValidationError` the real handler's `contract()` pipe gives (the
 * handler is not called), and the handler sees the parsed request. Every reply
 * is checked against the pattern's reply schema; a reply that breaks it is
 * answered as `ServiceFailure` naming the problem (a fake must not answer what
 * the real service cannot), and a pattern without a reply schema cannot be
 * faked. Throw an {@link IamError} from a handler to answer with that error.
 */
export async function startStubService(
  transport: BusTransport,
  service: string,
  handlers: StubHandlers,
): Promise<{ close(): Promise<void> }> {
  const server: Server & CustomTransportStrategy = createBusServer(transport, service, new InFlightTracker());
  for (const [pattern, handle] of Object.entries(handlers) as [Pattern, (request: unknown) => unknown][]) {
    const requestSchema = REQUEST_SCHEMAS[pattern];
    const replySchema = REPLY_SCHEMAS[pattern];
    if (!requestSchema) throw new Error(`${pattern} is not a pattern of the contract`);
    if (!replySchema) throw new Error(`${pattern} declares no reply schema in the contract, so it cannot be faked: declare one`);
    server.addHandler(pattern, async (data: unknown) => {
      try {
        const request = parseRequest(requestSchema, data ?? {});
        const reply = await handle(request);
        const checked = replySchema.safeParse(reply);
        if (!checked.success) {
          // The first few problems are enough to fix the fake.
          const first = new z.ZodError(checked.error.issues.slice(0, 3));
          throw new StubReplyBreaksContract(pattern, validationMessage(first, reply));
        }
        return reply;
      } catch (error) {
        const wire = error instanceof IamError ? error.toWire() : { code: 'ServiceFailure', message: String(error) };
        return throwError(() => wire);
      }
    });
  }
  await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error) : resolve())));
  return { close: async () => void (await server.close()) };
}
