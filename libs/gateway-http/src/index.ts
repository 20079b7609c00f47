export * from './lib/gateway-http.module';
export * from './lib/gateway.options';
export * from './lib/bootstrap';
export * from './lib/http/error-status';
export { OPERATIONS } from './lib/operations';
export type { AnyOperation, Operation, RestBinding, Check } from './lib/operations/operation';
export { CURSOR_PARAMS } from './lib/rest/rest-input';
