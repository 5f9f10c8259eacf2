/**
 * Time for the bridge's timers (reconnect backoff, watchdog, pacing, heartbeat), injected so the
 * state machine can be driven by a test without real waiting.
 *
 * @example
 * const s: Scheduler = systemScheduler; const h = s.setTimeout(() => probe(), 1000); s.clearTimeout(h);
 */
export interface Scheduler {
  /** Milliseconds on a monotonic-enough clock (epoch ms is fine: only differences are used). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
export type TimerHandle = { readonly id: number };

/** Real timers. Handles are unref'd so a forgotten timer never keeps a process alive. */
export const systemScheduler: Scheduler = (() => {
  const live = new Map<number, NodeJS.Timeout>();
  let next = 1;
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = next++;
      const t = setTimeout(() => {
        live.delete(id);
        fn();
      }, Math.max(0, ms));
      t.unref();
      live.set(id, t);
      return { id };
    },
    clearTimeout(handle) {
      const t = live.get(handle.id);
      if (t !== undefined) clearTimeout(t);
      live.delete(handle.id);
    },
  };
})();

/** Resolves after `ms` on the given scheduler. */
export function sleep(scheduler: Scheduler, ms: number): Promise<void> {
  return new Promise((resolve) => {
    scheduler.setTimeout(resolve, ms);
  });
}

/**
 * A scheduler a test moves by hand; `advance` fires due timers in time order and lets promise
 * continuations run between them.
 * @internal exported for tests
 */
export class ManualScheduler implements Scheduler {
  private t: number;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  constructor(start = 1_764_167_400_000) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return { id };
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }
  pending(): number {
    return this.timers.size;
  }
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      await flushMicrotasks();
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= until && (due === undefined || entry[1].at < due[1].at)) due = entry;
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = until;
    await flushMicrotasks();
  }
}

/** Lets queued promise continuations run (a few macrotask turns). */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
