export * from './lib/identity-service.module';
export * from './lib/identity.options';
export { rotateMasterKey, rotationReport, type RotateMasterKeyInput, type RotateMasterKeyResult } from './lib/access-keys/rotate-master-key';
export { PasswordHasher, Argon2PasswordHasher } from './lib/passwords/password-hasher';
export { SecretGenerator, RandomSecretGenerator } from './lib/shared/secrets';
