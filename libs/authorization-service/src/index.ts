export * from './lib/authorization-service.module';
export * from './lib/authorization.options';
export { DirectoryGroups, IdentityUsers } from './lib/shared/neighbours';
