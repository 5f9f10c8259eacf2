export * from './unlock-request.js';
export * from './unlock-rules.js';
export * from './unlock-preconditions.js';
