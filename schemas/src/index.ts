export * from './agent-step.js';
export * from './avro.js';
export * from './common.js';
export * from './feedback.js';
export * from './template.js';
export * from './topics.js';
export * from './trajectory.js';
export * from './sealed.js';
