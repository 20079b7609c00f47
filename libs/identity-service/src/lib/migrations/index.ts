import { CreateUsers1764290000000 } from './1764290000000-create-users';

/** Every migration of the identity schema, oldest first. */
export const identityMigrations = [CreateUsers1764290000000];
