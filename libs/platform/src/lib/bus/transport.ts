import { ClientProxy, CustomTransportStrategy, NatsRecordBuilder, Server } from '@nestjs/microservices';
import { RecordWrapper } from '@iam/contracts';
import { headers as natsHeaders } from 'nats';
import { InFlightTracker } from './in-flight';
import { InProcessBroker, InProcessClient, InProcessRecord, InProcessServer } from './in-process';
import { IamNatsClient, IamNatsServer } from './nats';

/** Where the bus is: a NATS server, or the in-process broker of the embedded default. */
export type BusTransport =
  | { kind: 'nats'; url: string; prefix?: string }
  | { kind: 'in-process'; broker: InProcessBroker; prefix?: string };

function prefixOf(transport: BusTransport): string {
  return transport.prefix ? `${transport.prefix}.` : '';
}

/** The server strategy for a service: its queue group is its name. */
export function createBusServer(
  transport: BusTransport,
  service: string,
  inFlight: InFlightTracker,
): Server & CustomTransportStrategy {
  const prefix = prefixOf(transport);
  if (transport.kind === 'nats') {
    return new IamNatsServer({ servers: transport.url, queue: service, prefix, name: service }, inFlight);
  }
  return new InProcessServer(transport.broker, service, prefix, inFlight);
}

/** The client side for any app: a Nest `ClientProxy` and how to attach headers. */
export function createBusProxy(transport: BusTransport, name: string): { proxy: ClientProxy<never, string>; wrap: RecordWrapper } {
  const prefix = prefixOf(transport);
  if (transport.kind === 'nats') {
    const proxy = new IamNatsClient({ servers: transport.url, name: `${name}-client`, maxReconnectAttempts: -1 }, prefix);
    const wrap: RecordWrapper = (data, values) => {
      const headers = natsHeaders();
      for (const [key, value] of Object.entries(values)) headers.set(key, value);
      return new NatsRecordBuilder(data).setHeaders(headers).build();
    };
    return { proxy: proxy as unknown as ClientProxy<never, string>, wrap };
  }
  return {
    proxy: new InProcessClient(transport.broker, prefix),
    wrap: (data, headers) => new InProcessRecord(data, headers),
  };
}

/** The NATS transport described by the environment. */
export function natsTransport(env: { NATS_URL: string; IAM_BUS_SUBJECT_PREFIX?: string }): BusTransport {
  return { kind: 'nats', url: env.NATS_URL, prefix: env.IAM_BUS_SUBJECT_PREFIX };
}
