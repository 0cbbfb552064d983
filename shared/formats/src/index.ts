export * from './python-literal.js';
export * from './run.js';
export * from './tool-error.js';
export * from './langchain.js';
export * from './csv-container.js';
export * from './read.js';
