export * from './lib/services';
export * from './lib/database';
export * from './lib/bus';
export * from './lib/logger';
export * from './lib/stub';
export * from './lib/fake-identity';
export * from './lib/sigv4';
export * from './lib/nats-server';
