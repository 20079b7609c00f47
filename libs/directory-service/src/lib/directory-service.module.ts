import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryPatterns } from '@iam/contracts';
import { BusModule, Clock, healthController, IdGenerator, RandomIdGenerator, serviceDatabase, SystemClock } from '@iam/platform';
import { DIRECTORY_OPTIONS, DIRECTORY_SETTINGS, DirectoryServiceOptions, directorySettings } from './directory.options';
import { GroupEntity } from './groups/group.entity';
import { GroupLookupsController } from './groups/group-lookups.controller';
import { GroupLookupsService } from './groups/group-lookups.service';
import { GroupsController } from './groups/groups.controller';
import { GroupsService } from './groups/groups.service';
import { GroupsStore } from './groups/groups.store';
import { MembershipEntity } from './memberships/membership.entity';
import { MembershipsController } from './memberships/memberships.controller';
import { MembershipsService } from './memberships/memberships.service';
import { MembershipsStore } from './memberships/memberships.store';
import { directoryMigrations } from './migrations';
import { DirectoryEventPublisher } from './shared/event-publisher';
import { AuthorizationPrincipals, IdentityUsers } from './shared/neighbours';
import { UserTombstoneEntity } from './users/user-tombstone.entity';
import { UserDeletesController } from './users/user-deletes.controller';
import { UserDeletesService } from './users/user-deletes.service';
import { UserTombstonesStore } from './users/user-tombstones.store';

export const DIRECTORY_SCHEMA = 'directory';
export const directoryEntities = [GroupEntity, MembershipEntity, UserTombstoneEntity];

/** The directory service: groups and memberships. */
@Module({})
export class DirectoryServiceModule {
  static register(options: DirectoryServiceOptions): DynamicModule {
    return {
      module: DirectoryServiceModule,
      imports: [
        BusModule.forRoot(options.bus),
        serviceDatabase({
          ...options.database,
          schema: DIRECTORY_SCHEMA,
          entities: directoryEntities,
          migrations: directoryMigrations,
        }),
        TypeOrmModule.forFeature(directoryEntities),
      ],
      controllers: [
        GroupsController,
        MembershipsController,
        GroupLookupsController,
        UserDeletesController,
        healthController('directory', DirectoryPatterns.Health),
      ],
      providers: [
        { provide: DIRECTORY_OPTIONS, useValue: options },
        { provide: DIRECTORY_SETTINGS, useValue: directorySettings(options) },
        { provide: Clock, useClass: SystemClock },
        { provide: IdGenerator, useClass: RandomIdGenerator },
        GroupsStore,
        MembershipsStore,
        UserTombstonesStore,
        DirectoryEventPublisher,
        IdentityUsers,
        AuthorizationPrincipals,
        GroupsService,
        MembershipsService,
        GroupLookupsService,
        UserDeletesService,
      ],
    };
  }
}
