export * from './cut.js';
export * from './dataflow.js';
export * from './offline.js';
export * from './pending.js';
export * from './policy.js';
export * from './processor.js';
export * from './service.js';
export * from './trajectory.js';
export { SegmenterEnv, segmenterOptionsFrom, segmenterPolicyFrom } from './config.js';
