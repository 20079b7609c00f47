import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthorizationPatterns } from '@iam/contracts';
import { BusModule, Clock, healthController, IdGenerator, RandomIdGenerator, serviceDatabase, SystemClock } from '@iam/platform';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions } from './authorization.options';
import { authorizationMigrations } from './migrations';

export const AUTHORIZATION_SCHEMA = 'authorization';
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const authorizationEntities: Function[] = [];

@Module({})
export class AuthorizationServiceModule {
  static register(options: AuthorizationServiceOptions): DynamicModule {
    return {
      module: AuthorizationServiceModule,
      imports: [
        BusModule.forRoot(options.bus),
        serviceDatabase({
          url: options.database.url,
          poolSize: options.database.poolSize,
          schema: AUTHORIZATION_SCHEMA,
          entities: authorizationEntities,
          migrations: authorizationMigrations,
        }),
        TypeOrmModule.forFeature(authorizationEntities),
      ],
      controllers: [healthController('authorization', AuthorizationPatterns.Health)],
      providers: [
        { provide: AUTHORIZATION_OPTIONS, useValue: options },
        { provide: Clock, useClass: SystemClock },
        { provide: IdGenerator, useClass: RandomIdGenerator },
      ],
    };
  }
}
