export * from './errors.js';
export * from './fields.js';
export * from './method.js';
export * from './methods/index.js';
export * from './openrpc.js';
export * from './state-dir.js';
export * from './verbs.js';
export * from './version.js';
