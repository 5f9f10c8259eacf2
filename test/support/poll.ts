/**
 * Polls `f` until it returns something other than `undefined`, or fails after `deadlineMs` naming
 * what it waited for (and the last error). Tests wait on conditions, never on fixed sleeps.
 */
export async function poll<T>(what: string, f: () => Promise<T | undefined>, deadlineMs = 25_000, intervalMs = 100): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Polls `probe` every `intervalMs` until it returns something other than `undefined` or `false`,
 * or fails after `timeoutMs` naming what it waited for. For fast protocol-level conditions
 * (a socket state, a published event); `poll` is the acceptance tests' slower variant.
 */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5_000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
