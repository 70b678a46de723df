export * from './records.js';
export * from './api.js';
export * from './config.js';
export * from './patterns.js';
export * from './signals.js';
export * from './traces.js';
