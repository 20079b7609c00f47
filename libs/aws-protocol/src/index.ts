export * from './lib/errors';
export * from './lib/sigv4';
export * from './lib/query';
export * from './lib/xml';
