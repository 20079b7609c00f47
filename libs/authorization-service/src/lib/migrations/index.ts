/** Every migration of the authorization schema, oldest first. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const authorizationMigrations: Function[] = [];
