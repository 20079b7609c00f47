export * from './shapes';
export * from './params';
export * from './validate';
export * from './decode';
