export * from './lib/gateway-http.module';
export * from './lib/gateway.options';
export * from './lib/bootstrap';
export * from './lib/http/error-status';
