/**
 * Optional persistence of the broker's state as one JSON file in `dataDir`, so a restarted
 * simulator keeps orders, executions, positions, cash and id counters (like a real account).
 * Writes are atomic (temp file + rename) so a crash never leaves half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { PersistedBrokerState } from './broker.js';

export const STATE_FILE = 'ib-sim-state.json';

const PersistedSchema = z.object({
  version: z.literal(1),
  accountId: z.string().min(1),
  nextOrderId: z.number().int().positive(),
  nextPermId: z.number().int().positive(),
  execSeq: z.number().int().nonnegative(),
  account: z.object({
    cash: z.string().regex(/^-?\d+$/),
    commissions: z.string().regex(/^-?\d+$/),
    positions: z.record(z.string(), z.object({ qty: z.number().int(), costBasis: z.string().regex(/^-?\d+$/), realized: z.string().regex(/^-?\d+$/) })),
  }),
  market: z.object({ rng: z.number().int().nonnegative(), mids: z.record(z.string(), z.number().int()) }),
  orders: z.array(z.record(z.string(), z.unknown())),
  executions: z.array(z.record(z.string(), z.unknown())),
  orderLog: z.array(
    z.object({ at: z.string(), clientId: z.number().int(), orderId: z.number().int(), kind: z.enum(['place', 'cancel', 'globalCancel']), symbol: z.string().optional() }),
  ),
});

export class StateFileError extends Error {
  readonly code = 'IB_SIM.STATE_FILE_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateFileError';
  }
}

export function loadState(dataDir: string, accountId: string): PersistedBrokerState | undefined {
  const file = join(dataDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new StateFileError(`${file} is not valid JSON`, { cause: e });
  }
  const parsed = PersistedSchema.safeParse(raw);
  if (!parsed.success) throw new StateFileError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  // A state file from another account is not ours to continue.
  if (parsed.data.accountId !== accountId) throw new StateFileError(`${file} belongs to account ${parsed.data.accountId}, not ${accountId}`);
  return parsed.data as PersistedBrokerState;
}

export function saveState(dataDir: string, state: PersistedBrokerState): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}
