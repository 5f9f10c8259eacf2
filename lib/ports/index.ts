export type * from './stores.js';
export type * from './blob-store.js';
export type * from './events.js';
export type * from './command-queue.js';
export type * from './notifier.js';
export type * from './logger.js';
export type { Clock } from '../core/shared/clock.js';
