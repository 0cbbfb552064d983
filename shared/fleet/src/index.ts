export * from './evaluate.js';
export * from './fleet.js';
export * from './model.js';
export { hashInt, Rng } from './random.js';
export { fillQuery, type Behaviour, type TaskRecord } from './simulate.js';
export * from './tasks.js';
export * from './tools.js';
export * from './traffic.js';
