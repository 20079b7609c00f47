import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { BusClient, BusRequester, REQUEST_ID_HEADER } from '@iam/contracts';
import { RequestScope } from '../request-scope';
import { BusTransport, createBusRequester } from './transport';

const REQUESTER = Symbol('BUS_REQUESTER');

export interface BusModuleOptions {
  transport: BusTransport;
  /** Who is talking, for NATS connection names. */
  name: string;
  timeoutMs: number;
}

/** Provides the typed {@link BusClient} to every provider of the app. */
@Global()
@Module({})
export class BusModule implements OnApplicationShutdown {
  constructor(@Inject(REQUESTER) private readonly requester: BusRequester) {}

  static forRoot(options: BusModuleOptions): DynamicModule {
    const requester = createBusRequester(options.transport, options.name);
    return {
      module: BusModule,
      providers: [
        { provide: REQUESTER, useValue: requester },
        {
          provide: BusClient,
          useFactory: async () => {
            await requester.connect();
            return new BusClient(requester, {
              timeoutMs: options.timeoutMs,
              headers: () => ({ [REQUEST_ID_HEADER]: RequestScope.requestId() ?? RequestScope.newId() }),
            });
          },
        },
      ],
      exports: [BusClient],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.requester.close();
  }
}
