export * from './client.js';
export * from './errors.js';
export * from './escape.js';
export * from './migrations.js';
export * from './retention.js';
export * from './statements.js';
