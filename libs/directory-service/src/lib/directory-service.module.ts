import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryPatterns } from '@iam/contracts';
import { BusModule, Clock, healthController, IdGenerator, RandomIdGenerator, serviceDatabase, SystemClock } from '@iam/platform';
import { DIRECTORY_OPTIONS, DirectoryServiceOptions } from './directory.options';
import { directoryMigrations } from './migrations';

export const DIRECTORY_SCHEMA = 'directory';
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const directoryEntities: Function[] = [];

@Module({})
export class DirectoryServiceModule {
  static register(options: DirectoryServiceOptions): DynamicModule {
    return {
      module: DirectoryServiceModule,
      imports: [
        BusModule.forRoot(options.bus),
        serviceDatabase({
          url: options.database.url,
          poolSize: options.database.poolSize,
          schema: DIRECTORY_SCHEMA,
          entities: directoryEntities,
          migrations: directoryMigrations,
        }),
        TypeOrmModule.forFeature(directoryEntities),
      ],
      controllers: [healthController('directory', DirectoryPatterns.Health)],
      providers: [
        { provide: DIRECTORY_OPTIONS, useValue: options },
        { provide: Clock, useClass: SystemClock },
        { provide: IdGenerator, useClass: RandomIdGenerator },
      ],
    };
  }
}
