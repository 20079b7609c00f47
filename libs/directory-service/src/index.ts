export * from './lib/directory-service.module';

