export * from './buffer.js';
export * from './config.js';
export * from './report.js';
export * from './rows.js';
export * from './service.js';
export * from './sink.js';
export * from './writer.js';
export * from './report-format.js';
