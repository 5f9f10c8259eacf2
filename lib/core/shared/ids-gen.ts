import { tradingDayOf, type Day } from '../calendar/nyse.js';
import { InvariantError } from './errors.js';
import { ClientOrderIdSchema, CorrelationIdSchema, EventIdSchema, type ClientOrderId, type CorrelationId, type EventId } from './ids.js';

/**
 * Deterministic id builders. The core never calls Math.random or reads the clock: randomness and
 * sequence numbers are injected, so the same inputs always give the same ids (tests, replays).
 * At the edge, wire `(n) => crypto.randomBytes(n)` as the `RandomSource`.
 */

/** `n` random bytes. Production: `node:crypto` randomBytes; tests: `seededRandomSource(seed)`. */
export type RandomSource = (byteCount: number) => Uint8Array;

const CLIENT_ORDER_ID_RE = /^CO-(\d{4})(\d{2})(\d{2})-(\d{6,})$/;

/**
 * The clientOrderId of the `seq`-th order of a New York trading day: `CO-<yyyymmdd>-<seq, 6+ digits>`.
 * The sequence comes from an atomic counter in the state store, so ids are unique per day and
 * ordered; IB's `orderRef` carries it to the broker and back.
 * @example formatClientOrderId('2026-11-26', 1) // 'CO-20261126-000001'
 */
export function formatClientOrderId(day: Day | Date, seq: number): ClientOrderId {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new InvariantError('IDS.BAD_SEQUENCE', `order sequence must be a positive integer, got ${seq}`);
  const d = typeof day === 'string' ? day : tradingDayOf(day);
  return ClientOrderIdSchema.parse(`CO-${d.replaceAll('-', '')}-${String(seq).padStart(6, '0')}`);
}

/** The day and sequence of a clientOrderId we issued; `undefined` for any other id (EXTERNAL orders). */
export function parseClientOrderId(id: string): { day: Day; seq: number } | undefined {
  const m = CLIENT_ORDER_ID_RE.exec(id);
  if (m === null) return undefined;
  return { day: `${m[1]}-${m[2]}-${m[3]}`, seq: Number(m[4]) };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_MAX = 2 ** 48 - 1;

/**
 * A ULID: 48-bit millisecond time + 80 random bits, 26 Crockford base-32 characters, which sort by
 * time as plain strings (handy for DynamoDB sort keys and for reading logs).
 * @example ulid(Date.parse('2026-11-26T14:30:00Z'), seededRandomSource(1)) // '01KB…' (26 chars)
 */
export function ulid(timeMs: number, random: RandomSource): string {
  return encodeUlid(timeMs, toBigInt(take(random, 10)));
}

/**
 * Event, correlation and other ids from an injected clock and randomness. Monotonic: within one
 * millisecond (or if the clock steps back) the random part is incremented instead of redrawn, so
 * ids from one generator always sort in creation order.
 * @example
 * const ids = createIdGenerator({ now: () => clock.now(), random: (n) => randomBytes(n) });
 * createEvent('GatewayHeartbeat', detail, { eventId: ids.eventId(), now: clock.now(), correlationId: ids.correlationId() });
 */
export function createIdGenerator(deps: { now: () => Date; random: RandomSource }) {
  let lastTime = -1;
  let lastRandom = 0n;
  const next = (): string => {
    const t = deps.now().getTime();
    if (t > lastTime) {
      lastTime = t;
      lastRandom = toBigInt(take(deps.random, 10));
    } else {
      lastRandom += 1n;
      if (lastRandom >= 1n << 80n) throw new InvariantError('IDS.ULID_OVERFLOW', 'more than 2^80 ids in one millisecond');
    }
    return encodeUlid(lastTime, lastRandom);
  };
  return {
    /** A new ULID string. */
    next,
    eventId: (): EventId => EventIdSchema.parse(next()),
    correlationId: (): CorrelationId => CorrelationIdSchema.parse(`c-${next()}`),
  };
}
export type IdGenerator = ReturnType<typeof createIdGenerator>;

/**
 * A deterministic, NON-cryptographic random source (xorshift128+), for tests and for the
 * simulator's seeded market. Never for secrets.
 * @example const random = seededRandomSource(42); random(4) // same 4 bytes every run
 */
export function seededRandomSource(seed: number): RandomSource {
  const mask = (1n << 64n) - 1n;
  // splitmix64 spreads a small seed over both state words (xorshift must not start at zero)
  let z = BigInt.asUintN(64, BigInt(Math.trunc(seed)));
  const splitmix = (): bigint => {
    z = (z + 0x9e3779b97f4a7c15n) & mask;
    let x = z;
    x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
    x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & mask;
    return x ^ (x >> 31n);
  };
  let s0 = splitmix();
  let s1 = splitmix();
  const nextWord = (): bigint => {
    let x = s0;
    const y = s1;
    s0 = y;
    x = (x ^ (x << 23n)) & mask;
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return (s1 + y) & mask;
  };
  return (byteCount: number): Uint8Array => {
    const out = new Uint8Array(byteCount);
    for (let i = 0; i < byteCount; i += 8) {
      let w = nextWord();
      for (let j = i; j < Math.min(i + 8, byteCount); j++) {
        out[j] = Number(w & 0xffn);
        w >>= 8n;
      }
    }
    return out;
  };
}

function take(random: RandomSource, n: number): Uint8Array {
  const bytes = random(n);
  if (bytes.length < n) throw new InvariantError('IDS.SHORT_RANDOM', `random source returned ${bytes.length} of ${n} bytes`);
  return bytes;
}

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function encodeUlid(timeMs: number, random80: bigint): string {
  if (!Number.isSafeInteger(timeMs) || timeMs < 0 || timeMs > TIME_MAX) throw new InvariantError('IDS.BAD_TIME', `ULID time out of range: ${timeMs}`);
  let out = '';
  let t = timeMs;
  for (let i = 0; i < 10; i++) {
    out = (CROCKFORD[t % 32] as string) + out;
    t = Math.floor(t / 32);
  }
  let r = random80;
  let rand = '';
  for (let i = 0; i < 16; i++) {
    rand = (CROCKFORD[Number(r & 31n)] as string) + rand;
    r >>= 5n;
  }
  return out + rand;
}
