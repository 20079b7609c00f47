export * from './lib/gateway-http.module';

