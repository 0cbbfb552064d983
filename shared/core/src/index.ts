export * from './fingerprint.js';
export * from './hash.js';
export * from './json-path.js';
export * from './shape.js';
export * from './tools.js';
export * from './confidence.js';
export * from './dates.js';
export * from './slot-constraint.js';
