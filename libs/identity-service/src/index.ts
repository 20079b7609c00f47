export * from './lib/identity-service.module';
export * from './lib/identity.options';
