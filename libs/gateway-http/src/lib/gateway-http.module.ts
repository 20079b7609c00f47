import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BusModule } from '@iam/platform';
import { GATEWAY_OPTIONS, GatewayOptions } from './gateway.options';
import { HealthController } from './health/health.controller';
import { UsersController } from './users/users.controller';

/** The HTTP edge: REST under /v1, health; talks to the services over the bus only. */
@Module({})
export class GatewayHttpModule {
  static register(options: GatewayOptions): DynamicModule {
    return {
      module: GatewayHttpModule,
      imports: [BusModule.forRoot(options.bus), TerminusModule.forRoot({ logger: false })],
      controllers: [UsersController, HealthController],
      providers: [{ provide: GATEWAY_OPTIONS, useValue: options }],
    };
  }
}
