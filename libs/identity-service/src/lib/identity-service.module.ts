import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityPatterns } from '@iam/contracts';
import { BusModule, Clock, healthController, IdGenerator, RandomIdGenerator, serviceDatabase, SystemClock } from '@iam/platform';
import { AccessKeysController } from './access-keys/access-keys.controller';
import { AccessKeysService } from './access-keys/access-keys.service';
import { AccessKeysStore } from './access-keys/access-keys.store';
import { KeyUsageRecorder } from './access-keys/key-usage.recorder';
import { MasterKeyCheck } from './access-keys/master-key.check';
import { AesGcmSecretCipher, SecretCipher } from './access-keys/secret-cipher';
import { RootAccountService } from './account/root-account.service';
import { DEFAULT_ARGON2, IDENTITY_OPTIONS, IdentityServiceOptions } from './identity.options';
import { identityMigrations } from './migrations';
import { LoginProfilesService } from './passwords/login-profiles.service';
import { Argon2PasswordHasher, PasswordHasher } from './passwords/password-hasher';
import { PasswordPolicyService } from './passwords/password-policy.service';
import { PasswordPolicyStore } from './passwords/password-policy.store';
import { PasswordWork } from './passwords/password-work';
import { PasswordWriter } from './passwords/password-writer';
import { AccountSettingsController } from './account/account-settings.controller';
import { AccountSettingsService } from './account/account-settings.service';
import { PasswordsController } from './passwords/passwords.controller';
import { IDENTITY_SCHEMA, identityEntities } from './persistence';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsService } from './sessions/sessions.service';
import { SignInGuard } from './sessions/sign-in-guard';
import { EventPublisher } from './shared/events';
import { AuthorizationPrincipals, DirectoryUsers } from './shared/neighbours';
import { RandomSecretGenerator, SecretGenerator } from './shared/secrets';
import { SignaturesController } from './signatures/signatures.controller';
import { SignaturesService } from './signatures/signatures.service';
import { SigningKeyCache } from './signatures/signing-key-cache';
import { DeleteUserService } from './users/delete-user.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { UsersStore } from './users/users.store';

export { IDENTITY_SCHEMA, identityEntities } from './persistence';

/** Side effects a test may replace: time, ids, password hashing, generated secrets. */
export interface IdentityPorts {
  clock?: Clock;
  ids?: IdGenerator;
  hasher?: PasswordHasher;
  secrets?: SecretGenerator;
}

/** The identity service: users, credentials, sessions, signature verification. */
@Module({})
export class IdentityServiceModule {
  static register(options: IdentityServiceOptions, ports: IdentityPorts = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: IDENTITY_OPTIONS, useValue: options },
      { provide: Clock, useValue: ports.clock ?? new SystemClock() },
      { provide: IdGenerator, useValue: ports.ids ?? new RandomIdGenerator() },
      { provide: PasswordHasher, useValue: ports.hasher ?? new Argon2PasswordHasher({ ...DEFAULT_ARGON2, ...options.argon2 }) },
      { provide: SecretGenerator, useValue: ports.secrets ?? new RandomSecretGenerator() },
      { provide: SecretCipher, useFactory: () => AesGcmSecretCipher.fromBase64(options.masterKey, options.previousMasterKey) },
      { provide: SigningKeyCache, useValue: new SigningKeyCache() },
      EventPublisher,
      DirectoryUsers,
      AuthorizationPrincipals,
      RootAccountService,
      AccountSettingsService,
      UsersService,
      UsersStore,
      DeleteUserService,
      PasswordPolicyStore,
      PasswordPolicyService,
      PasswordWork,
      PasswordWriter,
      LoginProfilesService,
      SignInGuard,
      SessionsService,
      MasterKeyCheck,
      AccessKeysStore,
      AccessKeysService,
      KeyUsageRecorder,
      SignaturesService,
    ];
    return {
      module: IdentityServiceModule,
      imports: [
        BusModule.forRoot(options.bus),
        serviceDatabase({
          ...options.database,
          schema: IDENTITY_SCHEMA,
          entities: identityEntities,
          migrations: identityMigrations,
        }),
        TypeOrmModule.forFeature(identityEntities),
      ],
      controllers: [
        UsersController,
        PasswordsController,
        AccountSettingsController,
        SessionsController,
        AccessKeysController,
        SignaturesController,
        healthController('identity', IdentityPatterns.Health),
      ],
      providers,
    };
  }
}
