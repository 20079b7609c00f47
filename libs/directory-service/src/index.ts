export * from './lib/directory-service.module';
export * from './lib/directory.options';
