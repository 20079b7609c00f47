import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityPatterns } from '@iam/contracts';
import { BusModule, Clock, healthController, IdGenerator, RandomIdGenerator, serviceDatabase, SystemClock } from '@iam/platform';
import { IDENTITY_OPTIONS, IdentityServiceOptions } from './identity.options';
import { identityMigrations } from './migrations';
import { UserEntity } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

export const IDENTITY_SCHEMA = 'identity';
export const identityEntities = [UserEntity];

/** The identity service: users, credentials, sessions, signature verification. */
@Module({})
export class IdentityServiceModule {
  static register(options: IdentityServiceOptions): DynamicModule {
    return {
      module: IdentityServiceModule,
      imports: [
        BusModule.forRoot(options.bus),
        serviceDatabase({
          url: options.database.url,
          poolSize: options.database.poolSize,
          schema: IDENTITY_SCHEMA,
          entities: identityEntities,
          migrations: identityMigrations,
        }),
        TypeOrmModule.forFeature(identityEntities),
      ],
      controllers: [UsersController, healthController('identity', IdentityPatterns.Health)],
      providers: [
        { provide: IDENTITY_OPTIONS, useValue: options },
        { provide: Clock, useClass: SystemClock },
        { provide: IdGenerator, useClass: RandomIdGenerator },
        UsersService,
      ],
    };
  }
}
