import { createHash } from 'node:crypto';
import { tradingDayOf } from '../../core/calendar/nyse.js';
import type { Clock } from '../../core/shared/clock.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { StateStores } from '../../ports/state-stores.js';

export interface ArchiveDeps {
  stores: Pick<StateStores, 'orders' | 'fills' | 'positions' | 'accounts' | 'audit' | 'systemPhase'>;
  blobs: BlobStore;
  clock: Clock;
}

export interface SessionArchive {
  date: string;
  prefix: string;
  manifestKey: string;
  files: Array<{ key: string; sha256: string; bytes: number; records: number }>;
  auditHead: { seq: number; hash: string } | null;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Runbook shutdown.sh step 5 (`archive_session.py`): the trading day's orders, fills (executions),
 * trades (fills with their order's strategy), positions and accounts at archive time, and the head of
 * the audit chain, written to the backup bucket under `sessions/<date>/<archivedAt>/`, plus a
 * `manifest.json` with the sha256 and size of every file. A new prefix per run: archiving twice
 * never overwrites; the manifest's hashes let anyone verify a file later, and the audit head ties
 * the archive to the hash chain (whose full export is the audit bucket's job).
 * @example
 * const a = await archiveSession({ stores, blobs: backups, clock }, { date: '2026-11-27', by: 'jane.smith' });
 */
export async function archiveSession(deps: ArchiveDeps, r: { date?: string | undefined; by: string }): Promise<SessionArchive> {
  const now = deps.clock.now();
  const date = r.date ?? tradingDayOf(now);
  const [orders, fills, positions, accounts, head, phase] = await Promise.all([
    deps.stores.orders.listByDay(date),
    deps.stores.fills.listByDay(date),
    deps.stores.positions.list(),
    deps.stores.accounts.list(),
    deps.stores.audit.head(),
    deps.stores.systemPhase.get(),
  ]);
  const byOrder = new Map(orders.map((o) => [o.clientOrderId as string, o]));
  const trades = fills.map((f) => {
    const origin = f.clientOrderId ? byOrder.get(f.clientOrderId)?.origin : undefined;
    return { ...f, strategyId: origin?.strategyId ?? null, agentId: origin?.agentId ?? null };
  });
  const auditHead = head === undefined ? null : { seq: head.seq, hash: head.hash };
  const prefix = `sessions/${date}/${now.toISOString().replace(/[:.]/g, '-')}/`;
  const contents: Array<[string, unknown, number]> = [
    ['orders.json', orders, orders.length],
    ['fills.json', fills, fills.length],
    ['trades.json', trades, trades.length],
    ['positions.json', { positions, accounts, asOf: now.toISOString() }, positions.length],
    ['audit-head.json', { head: head ?? null }, head === undefined ? 0 : 1],
  ];
  const files: SessionArchive['files'] = [];
  for (const [name, body, records] of contents) {
    const bytes = new TextEncoder().encode(JSON.stringify(body, null, 1));
    const key = `${prefix}${name}`;
    await deps.blobs.put(key, bytes, { contentType: 'application/json' });
    files.push({ key, sha256: sha256(bytes), bytes: bytes.length, records });
  }
  const manifestKey = `${prefix}manifest.json`;
  const manifest = { kind: 'tradeops.session-archive', version: 1, date, archivedAt: now.toISOString(), archivedBy: r.by, phase: phase?.phase ?? null, auditHead, files };
  await deps.blobs.put(manifestKey, JSON.stringify(manifest, null, 1), { contentType: 'application/json' });
  await deps.stores.audit.append({ actor: r.by, action: 'SESSION_ARCHIVED', subject: `session:${date}`, data: { manifestKey, files: files.map((f) => ({ key: f.key, sha256: f.sha256 })), auditHead } });
  return { date, prefix, manifestKey, files, auditHead };
}
