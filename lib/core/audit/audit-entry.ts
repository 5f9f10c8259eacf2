import { z } from 'zod';
import { IsoTimestampSchema } from '../shared/ids.js';

/**
 * One entry of the append-only audit log. `hash` = SHA-256 over the canonical JSON of every other
 * field including `prevHash`; the first entry's `prevHash` is the genesis hash (64 zeros).
 * @example
 * { seq: 1, at: '…', actor: 'system', action: 'TRADING_STATE_CHANGED', subject: 'trading-state', data: { from: 'ACTIVE', to: 'HALTED' }, correlationId: 'c-1', prevHash: '000…', hash: 'ab12…' }
 */
export const AuditEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  at: IsoTimestampSchema,
  actor: z.string().min(1),
  action: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'UPPER_SNAKE action name'),
  subject: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
  correlationId: z.string().optional(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
/** What a caller supplies; seq, prevHash and hash are assigned by the log. */
export type AuditRecord = Pick<AuditEntry, 'actor' | 'action' | 'subject' | 'data'> & { correlationId?: string | undefined; at?: string };
export const GENESIS_HASH = '0'.repeat(64);
