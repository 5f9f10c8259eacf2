import type { ApiResponse, RequestContext } from '../route-spec.js';
import { acceptSignal } from '../../app/cio/accept-signal.js';

/**
 * `POST /api/signals` — a strategy (AI agent or person) submits a signal. The body is validated by
 * the signal schema inside `acceptSignal` (400 naming each field); a different signal reusing a
 * known signalId is a 409; accepted → 202 with the ids that trace it from signal to fill.
 */
export async function postSignal(input: { body: unknown }, { deps, correlationId }: RequestContext): Promise<ApiResponse> {
  const ids = { eventId: () => deps.newId() as never, correlationId: () => correlationId as never };
  const r = await acceptSignal({ signals: deps.stores.signals, publisher: deps.publisher, clock: deps.clock, ids }, input.body, { correlationId });
  if (!r.ok) {
    const status = r.error.code === 'SIGNAL.CONFLICT' ? 409 : 400;
    return { status, body: { error: r.error.code, message: r.error.message, issues: r.error.issues.map((i) => ({ path: `body.${i.path}`, message: i.message })) } };
  }
  return { status: 202, body: { signalId: r.value.signal.signalId, duplicate: r.value.duplicate, eventId: r.value.eventId, correlationId: r.value.correlationId } };
}
