import { tradingDayOf } from '../calendar/nyse.js';
import { formatClientOrderId } from '../shared/ids-gen.js';
import type { ClientOrderId } from '../shared/ids.js';
import type { Signal } from '../signals/signal.js';

/**
 * The clientOrderId of the order a signal's arrival may trigger — a pure function of the signal's
 * id and day, so a redelivered `SignalReceived` yields the same id and the order store's
 * conditional create turns the second proposal into a no-op. One signal triggers at most one
 * order, whatever the state looks like on redelivery.
 *
 * Format: `CO-<yyyymmdd of createdAt, New York>-<16 digits>`, a valid `formatClientOrderId` id
 * (`parseClientOrderId` reads it back). The sequence part is 10¹⁵ + FNV-1a-64(signalId) mod
 * 8·10¹⁵, always 16 digits, so it never meets the 6–7 digit ids of the daily counter. Two signals
 * of one day collide with probability ≈ n² / 1.6·10¹⁶ (6·10⁻⁷ at 100,000 signals a day); a
 * collision fails safe — the second order is refused as a duplicate, never sent twice.
 * @example proposalClientOrderId({ signalId: 'SIG-1', createdAt: '2026-11-26T15:00:00.000Z' }) // 'CO-20261126-1…' (16 digits)
 */
export function proposalClientOrderId(signal: Pick<Signal, 'signalId' | 'createdAt'>): ClientOrderId {
  const seq = 10n ** 15n + (fnv1a64(signal.signalId) % (8n * 10n ** 15n));
  return formatClientOrderId(tradingDayOf(new Date(signal.createdAt)), Number(seq));
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/** FNV-1a, 64-bit, over the UTF-8 bytes of `s`. Not cryptographic: ids, not secrets. @internal */
export function fnv1a64(s: string): bigint {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(s)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK_64;
  }
  return h;
}
