import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BusModule, Clock, SystemClock } from '@iam/platform';
import { GatewayApplication } from './application/gateway-application';
import { Authenticator } from './auth/authenticator';
import { Authorizer } from './auth/authorizer';
import { BusAuthenticator } from './auth/bus-authenticator';
import { BusAuthorizer } from './auth/bus-authorizer';
import { CachedAuthenticator } from './auth/cached-authenticator';
import { LocalAuthorizer } from './auth/local-authorizer';
import { DataPlane } from './data-plane/data-plane';
import { GATEWAY_OPTIONS, GatewayOptions } from './gateway.options';
import { HealthController } from './health/health.controller';
import { OPERATIONS } from './operations';
import { OPERATION_TABLE, OperationTable } from './operations/table';
import { QueryController } from './query/query.controller';
import { RestController } from './rest/rest.controller';
import { RestRouter } from './rest/router';

/**
 * The HTTP edge: the AWS Query API at `/`, REST under `/v1`, health; one application layer
 * behind both; talks to the services over the bus only. With `options.cache`, the data plane
 * (`DataPlane`) authenticates and decides in process.
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
        // With the data plane: authenticate and decide from coherent caches; without it, ask the services every time.
        ...(options.cache
          ? [DataPlane, { provide: Authenticator, useClass: CachedAuthenticator }, { provide: Authorizer, useClass: LocalAuthorizer }]
          : [{ provide: Authenticator, useClass: BusAuthenticator }, { provide: Authorizer, useClass: BusAuthorizer }]),
        GatewayApplication,
      ],
    };
  }
}
