export * from './lib/errors';
export * from './lib/sigv4';
