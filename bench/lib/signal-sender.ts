/**
 * The signal-to-fill benchmark's client, in its own process: strategies are separate programs
 * that POST their signals over HTTP, and a client in the measured process would bill its own
 * HTTP work (about a tenth of the CPU per signal) to the system under test.
 *
 * Protocol (IPC; the process is signal-sender-main.ts, forked with `--import tsx`): the parent sends one `SendPlan`; the child answers
 * `sent` per signal as it goes out, `answered` per HTTP answer, then `done`, and exits. Times are
 * epoch milliseconds with sub-millisecond precision (`performance.timeOrigin + performance.now()`),
 * comparable across the two processes.
 */
import { proposalClientOrderId } from '../../lib/core/cio/proposal-id.js';

export interface SendPlan {
  apiUrl: string;
  token: string;
  ratePerS: number;
  /** Signals without `createdAt` (set as each goes out); `clientOrderId` is what the parent expects the CIO to use. */
  signals: Array<{ body: Record<string, unknown>; clientOrderId: string }>;
  /** A sender this far behind its schedule stops: the rate is not sustainable here. */
  maxLagMs: number;
}

export type SenderMessage =
  | { type: 'sent'; k: number; at: number; lagMs: number; clientOrderId: string }
  | { type: 'answered'; k: number; status: number }
  | { type: 'behind'; k: number; lagMs: number }
  | { type: 'done' };

export const epochMs = (): number => performance.timeOrigin + performance.now();

/** Sends the plan's signals at its rate, reporting each step through `send`. */
export async function sendPlan(plan: SendPlan, send: (m: SenderMessage) => void): Promise<void> {
  // A fresh process loads its HTTP client on the first fetch (tens of ms): do that, and open the
  // connection, before the clock starts, so the first signal does not carry the client's start.
  await (await fetch(`${plan.apiUrl}/health`)).arrayBuffer();
  const t0 = performance.now();
  const inflight: Array<Promise<void>> = [];
  for (let k = 0; k < plan.signals.length; k++) {
    const due = t0 + (k * 1000) / plan.ratePerS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const lagMs = Math.max(0, performance.now() - due);
    if (lagMs > plan.maxLagMs) {
      send({ type: 'behind', k, lagMs });
      break;
    }
    const signal = { ...plan.signals[k]!.body, createdAt: new Date().toISOString() } as { signalId: string; createdAt: string };
    const at = epochMs();
    send({ type: 'sent', k, at, lagMs, clientOrderId: proposalClientOrderId(signal) });
    // Not awaited in sequence: a slow answer must not delay the next signal's schedule.
    inflight.push(
      fetch(`${plan.apiUrl}/api/signals`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${plan.token}` }, body: JSON.stringify(signal) }).then(
        async (r) => {
          await r.arrayBuffer();
          send({ type: 'answered', k, status: r.status });
        },
        () => send({ type: 'answered', k, status: 0 }),
      ),
    );
  }
  await Promise.all(inflight);
  send({ type: 'done' });
}
