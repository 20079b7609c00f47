import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { BusClient, REQUEST_ID_HEADER } from '@iam/contracts';
import { RequestScope } from '../request-scope';
import { BusTransport, createBusProxy } from './transport';

const PROXY = Symbol('BUS_PROXY');

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
  constructor(@Inject(PROXY) private readonly proxy: ClientProxy) {}

  static forRoot(options: BusModuleOptions): DynamicModule {
    const { proxy, wrap } = createBusProxy(options.transport, options.name);
    return {
      module: BusModule,
      providers: [
        { provide: PROXY, useValue: proxy },
        {
          provide: BusClient,
          useFactory: async () => {
            await proxy.connect();
            return new BusClient(proxy, {
              timeoutMs: options.timeoutMs,
              wrap,
              headers: () => ({ [REQUEST_ID_HEADER]: RequestScope.requestId() ?? RequestScope.newId() }),
            });
          },
        },
      ],
      exports: [BusClient],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.proxy.close();
  }
}
