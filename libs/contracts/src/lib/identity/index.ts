import type { HealthReply } from '../common';
import { MessagesOf, NoInput, pattern, PayloadsOf, reply, requestSchemasOf, subjectsOf } from '../pattern';
import { AccessKeyPatterns } from './access-keys';
import { AccountPatterns } from './account';
import { PasswordPatterns } from './passwords';
import { SessionPatterns } from './sessions';
import { CredentialEvents } from './shared';
import { SignaturePatterns } from './signatures';
import { UserEvents, UserPatterns } from './users';

export * from './access-keys';
export * from './account';
export * from './passwords';
export * from './sessions';
export * from './shared';
export * from './signatures';
export * from './users';

/**
 * Identity: users, console passwords, access keys, console sessions, SigV4
 * verification and the account's root principal. Each feature declares its
 * patterns in its own file, mirroring `libs/identity-service/src/lib/<feature>`.
 *
 * Every user is keyed by its immutable `UserId`; names are unique per account
 * regardless of case, and every lookup by name ignores case. Reads see
 * committed state: a change is visible to every call that starts after the
 * changing call returned, on every replica. Secrets (passwords, secret access
 * keys, session tokens) are never part of a reply, except the one reply that
 * creates them (`CreateAccessKey`, `SignIn`), and never part of an event.
 *
 * Errors are `IamError`s with AWS's codes and wording. Every pattern may also
 * answer `ValidationError` (a request that breaks the contract, worded as AWS
 * does; a sensitive member's value is never echoed) and `ServiceFailure`.
 */
export const IdentityContract = {
  Health: pattern('identity.health', NoInput, reply<HealthReply>()),
  ...AccountPatterns,
  ...UserPatterns,
  ...PasswordPatterns,
  ...SessionPatterns,
  ...AccessKeyPatterns,
  ...SignaturePatterns,
} as const;

export const IdentityEventContract = { ...UserEvents, ...CredentialEvents } as const;

/** The subject of every identity pattern by name: `IdentityPatterns.CreateUser` is `'identity.user.create'`. */
export const IdentityPatterns = subjectsOf(IdentityContract);
export type IdentityMessages = MessagesOf<typeof IdentityContract>;
export const IdentityRequests = requestSchemasOf(IdentityContract);

export const IdentityEvents = subjectsOf(IdentityEventContract);
export type IdentityEventMap = PayloadsOf<typeof IdentityEventContract>;
