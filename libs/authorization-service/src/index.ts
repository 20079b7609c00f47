export * from './lib/authorization-service.module';
export * from './lib/authorization.options';
