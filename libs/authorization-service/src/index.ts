export * from './lib/authorization-service.module';

