export * from './errors.js';
export * from './feedback.js';
export * from './lookup.js';
export * from './ops.js';
export * from './workflow.js';
export * from './ingest.js';
