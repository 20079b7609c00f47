import { CreateDirectory1764300000000 } from './1764300000000-create-directory';

/** Every migration of the directory schema, oldest first. */
export const directoryMigrations = [CreateDirectory1764300000000];
