export * from './lib/authorization-service.module';
export * from './lib/authorization.options';
export { Principals } from './lib/neighbours/principals';
