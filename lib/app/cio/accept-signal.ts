import { createEvent } from '../../core/events/catalog.js';
import { ValidationError, err, ok, type Result } from '../../core/shared/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { IdGenerator } from '../../core/shared/ids-gen.js';
import { SignalSchema, type Signal } from '../../core/signals/signal.js';
import { signalIssues } from '../../core/signals/validation.js';
import type { EventPublisher } from '../../ports/events.js';
import type { SignalStore } from '../../ports/signals.js';

export interface AcceptSignalDeps {
  signals: SignalStore;
  publisher: EventPublisher;
  clock: Clock;
  ids: Pick<IdGenerator, 'eventId' | 'correlationId'>;
}

export interface AcceptedSignal {
  signal: Signal;
  /** True when this signalId was already stored with the same content (a retry): published again, harmlessly. */
  duplicate: boolean;
  eventId: string;
  correlationId: string;
}

export const SignalErrorCode = {
  /** The body is not a valid signal; `issues` name the fields. */
  INVALID: 'SIGNAL.INVALID',
  /** A different signal already uses this signalId. */
  CONFLICT: 'SIGNAL.CONFLICT',
} as const;

/**
 * The use case behind `POST /api/signals` and signals arriving on the bus: validate, store
 * idempotently by signalId, publish `SignalReceived`. A retry of the same signal publishes again
 * (the CIO is idempotent per signal), so a crash between the store and the publish loses nothing.
 * Invalid input and a reused signalId are results with field-level issues, never exceptions; store
 * and bus failures throw (the caller answers 5xx / the bus retries).
 * @example
 * const r = await acceptSignal({ signals, publisher, clock, ids }, await req.json(), { correlationId: req.headers['x-correlation-id'] });
 * if (!r.ok) return { status: r.error.code === 'SIGNAL.CONFLICT' ? 409 : 400, body: r.error.toJSON() };
 */
export async function acceptSignal(
  deps: AcceptSignalDeps,
  input: unknown,
  options: { correlationId?: string | undefined; maxFutureSkewMs?: number | undefined } = {},
): Promise<Result<AcceptedSignal, ValidationError>> {
  const parsed = SignalSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return err(invalid(issues));
  }
  const signal = parsed.data;
  const now = deps.clock.now();
  const issues = signalIssues(signal, now, options.maxFutureSkewMs === undefined ? {} : { maxFutureSkewMs: options.maxFutureSkewMs });
  if (issues.length > 0) return err(invalid(issues));

  const outcome = await deps.signals.record(signal);
  if (outcome === 'conflict') {
    return err(new ValidationError(SignalErrorCode.CONFLICT, `signalId ${signal.signalId} is already used by a different signal`, [{ path: 'signalId', message: 'already used by a different signal' }]));
  }
  const correlationId = options.correlationId ?? deps.ids.correlationId();
  const event = createEvent('SignalReceived', { signal }, { eventId: deps.ids.eventId(), now, correlationId });
  await deps.publisher.publish([event]);
  return ok({ signal, duplicate: outcome === 'duplicate', eventId: event.eventId, correlationId });
}

function invalid(issues: ReadonlyArray<{ path: string; message: string }>): ValidationError {
  const first = issues[0];
  return new ValidationError(SignalErrorCode.INVALID, `invalid signal: ${first === undefined ? 'unknown problem' : `${first.path || '(root)'}: ${first.message}`}`, issues);
}
