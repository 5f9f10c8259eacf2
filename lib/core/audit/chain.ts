import { createHash } from 'node:crypto';
import { ValidationError } from '../shared/errors.js';
import { GENESIS_HASH, type AuditEntry, type AuditRecord } from './audit-entry.js';

/**
 * The audit log's hash chain (CloudTrail digest style): every entry carries the previous entry's
 * hash, and its own hash covers every other field including that link, so changing, removing,
 * inserting or reordering any entry breaks the chain from there on. Truncation of the tail is only
 * visible against a head kept elsewhere (`expectedHead`, e.g. the last hash exported to the Object
 * Lock bucket).
 */

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` members left out (as
 * `JSON.stringify` does), arrays in order. Refuses what JSON cannot carry faithfully (NaN,
 * Infinity, bigint, functions, symbols, class instances other than Date) instead of hashing a
 * lossy rendering. Dates are written as their ISO string.
 * @throws ValidationError `AUDIT.NOT_CANONICAL_JSON`
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(v: unknown, path: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw notJson(path, `non-finite number ${v}`);
      return JSON.stringify(v);
    case 'object': {
      if (v instanceof Date) return JSON.stringify(v.toISOString());
      if (Array.isArray(v)) return `[${v.map((x, i) => (x === undefined ? 'null' : write(x, `${path}[${i}]`))).join(',')}]`;
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) throw notJson(path, 'not a plain object');
      const rec = v as Record<string, unknown>;
      const keys = Object.keys(rec).filter((k) => rec[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${write(rec[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw notJson(path, `a ${typeof v}`);
  }
}

const notJson = (path: string, what: string) => new ValidationError('AUDIT.NOT_CANONICAL_JSON', `cannot hash ${what} at ${path}`, [{ path, message: what }]);

/**
 * SHA-256 (lower-case hex) of the canonical JSON of an entry without its `hash`.
 * @example hashEntry({ seq: 1, at, actor: 'system', action: 'SYSTEM_STARTED', subject: 'system', data: {}, prevHash: GENESIS_HASH })
 */
export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry), 'utf8').digest('hex');
}

/**
 * The entry that follows `prev` (or the first entry, after the genesis hash). `record.at`, when
 * given, wins over `at` (a caller replaying a past event keeps its time).
 * @example
 * const e1 = nextEntry(undefined, { actor: 'john', action: 'TRADING_STATE_CHANGED', subject: 'trading-state', data: { to: 'HALTED' } }, clock.now());
 * const e2 = nextEntry(e1, record2, clock.now()); // e2.prevHash === e1.hash, e2.seq === 2
 */
export function nextEntry(prev: AuditEntry | undefined, record: AuditRecord, at: Date | string): AuditEntry {
  const body: Omit<AuditEntry, 'hash'> = {
    seq: prev === undefined ? 1 : prev.seq + 1,
    at: record.at ?? (typeof at === 'string' ? at : at.toISOString()),
    actor: record.actor,
    action: record.action,
    subject: record.subject,
    data: record.data,
    prevHash: prev === undefined ? GENESIS_HASH : prev.hash,
  };
  if (record.correlationId !== undefined) body.correlationId = record.correlationId;
  return { ...body, hash: hashEntry(body) };
}

export type ChainProblem = 'HASH_MISMATCH' | 'BROKEN_LINK' | 'SEQ_GAP' | 'REORDERED' | 'HEAD_MISMATCH';

export type ChainVerdict =
  | { ok: true; count: number; headHash: string }
  | { ok: false; firstBadSeq: number; problem: ChainProblem; message: string };

export interface VerifyOptions {
  /**
   * The head hash recorded elsewhere (the last export to the audit bucket, a printed digest). Without
   * it, a chain cut short at the end is indistinguishable from a shorter valid chain.
   */
  expectedHead?: string | undefined;
  /**
   * The entry just before `entries[0]` when verifying a window (`AuditLog.read(fromSeq)`); default:
   * the chain starts at seq 1 after the genesis hash.
   */
  after?: { seq: number; hash: string } | undefined;
}

/**
 * Verifies a run of entries in the order given. Reports the first problem found, walking forward:
 * - HASH_MISMATCH: an entry's content does not match its own hash (changed in place);
 * - SEQ_GAP: a seq is skipped (an entry was removed, or the first entries are missing);
 * - REORDERED: a seq appears out of order or twice (swapped or inserted entries);
 * - BROKEN_LINK: `prevHash` is not the previous entry's hash (an entry was changed and re-hashed,
 *   or one was replaced);
 * - HEAD_MISMATCH: the last hash is not `expectedHead` (tail removed or appended to);
 *   `firstBadSeq` is then the seq after the last entry.
 * @example
 * const v = verifyChain(await log.read(), { expectedHead });
 * if (!v.ok) throw new InvariantError('AUDIT.CHAIN_BROKEN', `${v.problem} at seq ${v.firstBadSeq}: ${v.message}`);
 */
export function verifyChain(entries: readonly AuditEntry[], options: VerifyOptions = {}): ChainVerdict {
  let prevSeq = options.after?.seq ?? 0;
  let prevHash = options.after?.hash ?? GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as AuditEntry;
    const expectedSeq = prevSeq + 1;
    if (e.seq !== expectedSeq) {
      const laterHasExpected = entries.slice(i + 1).some((x) => x.seq === expectedSeq);
      if (e.seq > expectedSeq && !laterHasExpected) return bad(expectedSeq, 'SEQ_GAP', `expected seq ${expectedSeq}, found ${e.seq}: ${e.seq - expectedSeq} entr${e.seq - expectedSeq === 1 ? 'y' : 'ies'} missing`);
      return bad(expectedSeq, 'REORDERED', `expected seq ${expectedSeq} at position ${i}, found ${e.seq}`);
    }
    const { hash, ...body } = e;
    let actual: string;
    try {
      actual = hashEntry(body);
    } catch (err) {
      return bad(e.seq, 'HASH_MISMATCH', `entry ${e.seq} cannot be hashed: ${(err as Error).message}`);
    }
    if (actual !== hash) return bad(e.seq, 'HASH_MISMATCH', `entry ${e.seq} content does not match its hash`);
    if (e.prevHash !== prevHash) return bad(e.seq, 'BROKEN_LINK', `entry ${e.seq} links to ${e.prevHash.slice(0, 12)}…, previous hash is ${prevHash.slice(0, 12)}…`);
    prevSeq = e.seq;
    prevHash = hash;
  }
  if (options.expectedHead !== undefined && options.expectedHead !== prevHash) {
    return bad(prevSeq + 1, 'HEAD_MISMATCH', `chain ends at seq ${prevSeq} with ${prevHash.slice(0, 12)}…, expected head ${options.expectedHead.slice(0, 12)}…`);
  }
  return { ok: true, count: entries.length, headHash: prevHash };
}

const bad = (firstBadSeq: number, problem: ChainProblem, message: string): ChainVerdict => ({ ok: false, firstBadSeq, problem, message });
