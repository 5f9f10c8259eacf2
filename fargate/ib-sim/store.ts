/**
 * Optional persistence of the broker's state as one JSON file in `dataDir`, so a restarted
 * simulator keeps orders, executions, positions, cash and id counters (like a real account).
 * Writes are atomic (temp file + rename) so a crash never leaves half a file.
 */
import { readFileSync, existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
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

/**
 * Writes the state file off the event loop's critical path: one write at a time (temp file, then
 * rename), and a state handed in while a write runs replaces any older one still waiting — only
 * the latest state matters. `flush()` resolves once the latest state handed in is on disk.
 * @example
 * const writer = new StateFileWriter(dataDir);
 * writer.write(broker.toState()); // returns at once
 * await writer.flush();           // before exit
 */
export class StateFileWriter {
  /** The latest state, already serialised: the caller's clock then sees the whole cost of a snapshot. */
  private waiting: string | undefined;
  private running: Promise<void> | undefined;
  private lastError: unknown;

  constructor(
    private readonly dataDir: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  write(state: PersistedBrokerState): void {
    this.waiting = JSON.stringify(state);
    this.running ??= this.drain();
  }

  /** Resolves once everything handed in is written; rejects with the last write's error if it failed. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    const error = this.lastError;
    this.lastError = undefined;
    if (error !== undefined) throw error;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting) {
        const state = this.waiting;
        this.waiting = undefined;
        try {
          await writeStateFile(this.dataDir, state);
          this.lastError = undefined;
        } catch (e) {
          // Kept for flush(); the next state change tries again with newer state.
          this.lastError = e;
          this.onError(e);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}

async function writeStateFile(dataDir: string, json: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, json);
  await rename(tmp, file);
}
