export * from './lib/errors';
export * from './lib/validation';
export * from './lib/common';
export * from './lib/messages';
export * from './lib/client';
export * from './lib/identity';
export * from './lib/directory';
export * from './lib/authorization';
