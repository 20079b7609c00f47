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
import { BusPrincipals, Principals } from './neighbours/principals';
import { AwsCatalogueSync } from './policies/aws-catalogue.sync';
import { PoliciesController } from './policies/policies.controller';
import { PoliciesService } from './policies/policies.service';
import { PrincipalDeletionController } from './principals/principal-deletion.controller';
import { PrincipalDeletionService } from './principals/principal-deletion.service';
import { SimulationController } from './simulation/simulation.controller';
import { SimulationService } from './simulation/simulation.service';

export const AUTHORIZATION_SCHEMA = 'authorization';

export interface AuthorizationModuleOverrides {
  /** Stands in for identity and directory (benchmarks). */
  principals?: Principals;
}

/** The authorization service: policies, attachments, decisions, simulation, who-can. */
@Module({})
export class AuthorizationServiceModule {
  static register(options: AuthorizationServiceOptions, overrides: AuthorizationModuleOverrides = {}): DynamicModule {
    const principals: Provider = overrides.principals
      ? { provide: Principals, useValue: overrides.principals }
      : { provide: Principals, useClass: BusPrincipals };
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
        principals,
        ...authorizationStores,
        CompiledPolicies,
        DocumentEvents,
        AwsCatalogueSync,
        PoliciesService,
        AttachmentsService,
        InlinePoliciesService,
        PrincipalDeletionService,
        PolicySets,
        DecisionsService,
        SimulationService,
        AccessService,
      ],
      exports: [DecisionsService, PolicySets, CompiledPolicies, AccessService],
    };
  }
}
