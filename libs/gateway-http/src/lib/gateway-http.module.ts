import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BusModule, Clock, SystemClock } from '@iam/platform';
import { GatewayApplication } from './application/gateway-application';
import { Authenticator } from './auth/authenticator';
import { Authorizer } from './auth/authorizer';
import { BusAuthenticator } from './auth/bus-authenticator';
import { BusAuthorizer } from './auth/bus-authorizer';
import { GATEWAY_OPTIONS, GatewayOptions } from './gateway.options';
import { HealthController } from './health/health.controller';
import { OPERATIONS } from './operations';
import { OPERATION_TABLE, OperationTable } from './operations/table';
import { QueryController } from './query/query.controller';
import { RestController } from './rest/rest.controller';
import { RestRouter } from './rest/router';

/**
 * The HTTP edge: the AWS Query API at `/`, REST under `/v1`, health; one application layer
 * behind both; talks to the services over the bus only.
 */
@Module({})
export class GatewayHttpModule {
  static register(options: GatewayOptions): DynamicModule {
    const table = new OperationTable(OPERATIONS);
    return {
      module: GatewayHttpModule,
      imports: [BusModule.forRoot(options.bus), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, QueryController, RestController],
      providers: [
        { provide: GATEWAY_OPTIONS, useValue: options },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        { provide: OPERATION_TABLE, useValue: table },
        { provide: RestRouter, useValue: new RestRouter(table.operations) },
        { provide: Authenticator, useClass: BusAuthenticator },
        { provide: Authorizer, useClass: BusAuthorizer },
        GatewayApplication,
      ],
    };
  }
}
