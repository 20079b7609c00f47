import { EntityManager } from 'typeorm';

/**
 * Advisory transaction locks of the directory, in a key space of their own
 * (two-key form, first key below). Held until the transaction ends.
 */
const USER_LOCKS = 0x44_49_52_01; // per user id
const ACCOUNT_LOCKS = 0x44_49_52_02; // per account-wide counter

/**
 * Serializes everything that adds memberships of a user with the begin of
 * that user's delete: `AddUserToGroup`, `BeginUserDelete`, `CancelUserDelete`
 * and the drop on `identity.user.deleted` all take it first.
 */
export async function lockUser(manager: EntityManager, userId: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [USER_LOCKS, userId]);
}

/** Serializes creations of groups, so the groups-per-account quota is exact. */
export async function lockGroupCount(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1::int, 0)', [ACCOUNT_LOCKS]);
}
