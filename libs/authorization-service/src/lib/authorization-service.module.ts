import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AuthorizationPatterns } from '@iam/contracts';
import { BusModule, Clock, healthController, IdGenerator, RandomIdGenerator, serviceDatabase, SystemClock } from '@iam/platform';
import { AccessController } from './access/access.controller';
import { AccessService } from './access/access.service';
import { AttachmentsController } from './attachments/attachments.controller';
import { AttachmentsService } from './attachments/attachments.service';
import { AUTHORIZATION_OPTIONS, AuthorizationServiceOptions } from './authorization.options';
import { DecisionsController } from './decisions/decisions.controller';
import { DecisionsService } from './decisions/decisions.service';
import { PolicySets } from './decisions/policy-sets';
import { CompiledPolicies } from './documents/compiled-policies';
import { DocumentEventsController } from './decisions/document-events.controller';
import { DocumentEvents } from './documents/document-events';
import { InlinePoliciesController } from './inline/inline-policies.controller';
import { InlinePoliciesService } from './inline/inline-policies.service';
import { authorizationMigrations } from './migrations';
import { authorizationEntities, authorizationStores } from './persistence/entities';
import { AwsCatalogueSync } from './policies/aws-catalogue.sync';
import { PoliciesController } from './policies/policies.controller';
import { PoliciesService } from './policies/policies.service';
import { PrincipalDeletionController } from './principals/principal-deletion.controller';
import { PrincipalPoliciesController } from './principals/principal-policies.controller';
import { PrincipalPoliciesService } from './principals/principal-policies.service';
import { PrincipalDeletionService } from './principals/principal-deletion.service';
import { SimulationController } from './simulation/simulation.controller';
import { DirectoryGroups, IdentityUsers } from './shared/neighbours';
import { SimulationService } from './simulation/simulation.service';

export const AUTHORIZATION_SCHEMA = 'authorization';

/** What a stand-in for a neighbour answers: the neighbour class's methods. */
export type NeighbourOf<T> = Pick<T, keyof T>;

export interface AuthorizationModuleOverrides {
  /** Stands in for identity (benchmarks). */
  identity?: NeighbourOf<IdentityUsers>;
  /** Stands in for directory (benchmarks). */
  directory?: NeighbourOf<DirectoryGroups>;
}

/** The authorization service: policies, attachments, decisions, simulation, who-can. */
@Module({})
export class AuthorizationServiceModule {
  static register(options: AuthorizationServiceOptions, overrides: AuthorizationModuleOverrides = {}): DynamicModule {
    const neighbours: Provider[] = [
      overrides.identity ? { provide: IdentityUsers, useValue: overrides.identity } : IdentityUsers,
      overrides.directory ? { provide: DirectoryGroups, useValue: overrides.directory } : DirectoryGroups,
    ];
    return {
      module: AuthorizationServiceModule,
      imports: [
        BusModule.forRoot(options.bus),
        serviceDatabase({
          ...options.database,
          schema: AUTHORIZATION_SCHEMA,
          entities: authorizationEntities,
          migrations: authorizationMigrations,
        }),
      ],
      controllers: [
        PoliciesController,
        AttachmentsController,
        InlinePoliciesController,
        PrincipalDeletionController,
        PrincipalPoliciesController,
        DecisionsController,
        SimulationController,
        AccessController,
        DocumentEventsController,
        healthController('authorization', AuthorizationPatterns.Health),
      ],
      providers: [
        { provide: AUTHORIZATION_OPTIONS, useValue: options },
        { provide: Clock, useClass: SystemClock },
        { provide: IdGenerator, useClass: RandomIdGenerator },
        ...neighbours,
        ...authorizationStores,
        CompiledPolicies,
        DocumentEvents,
        AwsCatalogueSync,
        PoliciesService,
        AttachmentsService,
        InlinePoliciesService,
        PrincipalDeletionService,
        PrincipalPoliciesService,
        PolicySets,
        DecisionsService,
        SimulationService,
        AccessService,
      ],
      exports: [DecisionsService, PolicySets, CompiledPolicies, AccessService],
    };
  }
}
