/** Reconnect delays: capped exponential with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export interface BackoffPolicy {
  /** Ceiling of the first retry window. */
  readonly initialDelayMs: number;
  /** No window grows beyond this. */
  readonly maxDelayMs: number;
}

/**
 * The delay before reconnect attempt `attempt` (0-based): uniform in [initial/2, min(max, initial·2^attempt)].
 * The floor of initial/2 keeps a broken `random` (always 0) from turning retries into a tight loop;
 * the jitter spreads many bridges (or a restart) apart so they do not storm a gateway that comes back.
 *
 * @param random a uniform source in [0, 1), injected so tests are deterministic
 * @example
 * reconnectDelayMs(3, { initialDelayMs: 500, maxDelayMs: 30_000 }, Math.random) // between 250 and 4000
 */
export function reconnectDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const initial = Math.max(1, policy.initialDelayMs);
  const max = Math.max(initial, policy.maxDelayMs);
  // 2^attempt overflows to Infinity for large attempts; the cap makes that harmless.
  const ceiling = Math.min(max, initial * 2 ** Math.max(0, Math.min(attempt, 60)));
  const floor = Math.min(initial / 2, ceiling);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(floor + r * (ceiling - floor));
}

/**
 * After 326 (client id in use) the gateway still holds our previous session; retrying at the usual
 * pace produces the 326 loop operators complain about. Wait at least `clientIdInUseDelayMs`.
 */
export function clientIdInUseDelayMs(attempt: number, policy: BackoffPolicy & { readonly clientIdInUseDelayMs: number }, random: () => number): number {
  return Math.max(policy.clientIdInUseDelayMs, reconnectDelayMs(attempt, policy, random));
}
