import { randomBytes } from 'node:crypto';
import { BusClient, REQUEST_ID_HEADER } from '@iam/contracts';
import { BusTransport, createBusRequester, InProcessBroker, RequestScope } from '@iam/platform';
import { TEST_NATS_URL } from './services';

/** A NATS transport under a subject prefix of its own, so parallel specs never see each other's messages. */
export function isolatedNatsTransport(): BusTransport {
  return { kind: 'nats', url: TEST_NATS_URL, prefix: `t${randomBytes(6).toString('hex')}` };
}

export function inProcessTransport(): BusTransport {
  return { kind: 'in-process', broker: new InProcessBroker() };
}

/** A typed bus client for a spec to talk to the services it started. */
export async function testBusClient(transport: BusTransport, timeoutMs = 5_000): Promise<BusClient & { close(): Promise<void> }> {
  const requester = createBusRequester(transport, 'spec');
  await requester.connect();
  const client = new BusClient(requester, {
    timeoutMs,
    headers: () => ({ [REQUEST_ID_HEADER]: RequestScope.requestId() ?? RequestScope.newId() }),
  });
  return Object.assign(client, { close: () => requester.close() });
}
