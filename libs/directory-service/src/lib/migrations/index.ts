/** Every migration of the directory schema, oldest first. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const directoryMigrations: Function[] = [];
