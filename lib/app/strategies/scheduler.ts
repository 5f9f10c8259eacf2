/**
 * A repeating timer, injected so tests drive strategies by hand instead of waiting.
 * @example const stop = scheduler.every(1000, () => strategy.tick()); … stop();
 */
export interface Scheduler {
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

/** The real one: `setInterval`, unref'd so a running strategy never keeps the process alive. */
export const intervalScheduler: Scheduler = {
  every(ms, fn) {
    const handle = setInterval(fn, ms);
    handle.unref?.();
    return () => clearInterval(handle);
  },
};
