import type { AccountSummary } from '../../../lib/core/account/account-summary.js';
import type { Position } from '../../../lib/core/positions/position.js';
import type { Clock } from '../../../lib/core/shared/clock.js';
import type { Logger } from '../../../lib/ports/logger.js';
import type { AccountStore, PositionStore } from '../../../lib/ports/stores.js';
import { accountSummaryFromTags } from '../mapping/account.js';
import { ibPositionToPosition } from '../mapping/position.js';
import type { RawClientEvents } from '../raw-client.js';
import type { EventSink } from './context.js';
import { describe } from './context.js';

/**
 * Positions and account summary snapshots → PositionStore/AccountStore + PositionReport /
 * AccountSummaryReport. A position request is answered with a full list and an END marker; after
 * it IB keeps streaming changes, which we fold into the snapshot and write on `flush` (bounded rate).
 * @example
 * portfolio.beginPositions(); raw.reqPositions(); // … position×N, positionEnd → one replaceAccount per account
 */
export class PortfolioPublisher {
  private snapshot = new Map<string, Map<string, Position>>();
  private collecting = new Map<string, Map<string, Position>>();
  private positionsLive = false;
  private readonly dirtyAccounts = new Set<string>();
  private summaryReqId: number | undefined;
  private readonly summaryRows = new Map<string, Map<string, { value: string; currency: string }>>();
  /** Latest summary per account not yet written (see onAccountSummaryEnd). */
  private readonly pendingSummaries = new Map<string, AccountSummary>();
  private lastSummaryWriteMs: number | undefined;

  constructor(
    private readonly positions: PositionStore,
    private readonly accounts: AccountStore,
    private readonly sink: EventSink,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Account summaries are written at most once per interval (plus the flush that follows). @default 1000 */
    private readonly summaryIntervalMs = 1_000,
  ) {}

  /** Call before (re)requesting positions: the next END completes a fresh snapshot. */
  beginPositions(): void {
    this.collecting = new Map();
    this.positionsLive = false;
  }

  /**
   * Every position the broker reported (all accounts), live-updated since the last END; undefined
   * while a fresh snapshot is still being collected (reconciliation waits for it).
   */
  positionsSnapshot(): Array<{ account: string; symbol: string; quantity: number }> | undefined {
    if (!this.positionsLive) return undefined;
    return [...this.snapshot.values()].flatMap((book) => [...book.values()].map((p) => ({ account: p.account as string, symbol: p.symbol as string, quantity: p.quantity })));
  }

  /** Call before (re)requesting the account summary under `reqId`; rows of older requests are ignored. */
  beginAccountSummary(reqId: number): void {
    this.summaryReqId = reqId;
    this.summaryRows.clear();
  }

  onPosition(e: Parameters<RawClientEvents['position']>[0]): void {
    let position: Position;
    try {
      position = ibPositionToPosition(e.account, e.contract, e.position, e.avgCost, this.clock.now().toISOString());
    } catch (error) {
      this.logger.error('position could not be mapped', { account: e.account, symbol: e.contract.symbol, error: describe(error) });
      return;
    }
    const target = this.positionsLive ? this.snapshot : this.collecting;
    const book = target.get(e.account) ?? new Map<string, Position>();
    target.set(e.account, book);
    if (position.quantity === 0) book.delete(position.symbol);
    else book.set(position.symbol, position);
    if (this.positionsLive) this.dirtyAccounts.add(e.account);
  }

  async onPositionEnd(): Promise<void> {
    if (!this.positionsLive) {
      // Accounts that had positions and now report none are written as empty snapshots.
      for (const account of this.snapshot.keys()) if (!this.collecting.has(account)) this.collecting.set(account, new Map());
      this.snapshot = this.collecting;
      this.collecting = new Map();
      this.positionsLive = true;
      for (const account of this.snapshot.keys()) this.dirtyAccounts.add(account);
    }
    await this.flushPositions();
  }

  /** Writes accounts whose positions changed since the last flush. */
  async flushPositions(): Promise<void> {
    for (const account of [...this.dirtyAccounts]) {
      this.dirtyAccounts.delete(account);
      const list = [...(this.snapshot.get(account)?.values() ?? [])].sort((a, b) => a.symbol.localeCompare(b.symbol));
      await this.positions.replaceAccount(account, list);
      await this.sink.emit('PositionReport', { account, positions: list });
    }
  }

  onAccountSummary(e: Parameters<RawClientEvents['accountSummary']>[0]): void {
    if (e.reqId !== this.summaryReqId) return;
    const rows = this.summaryRows.get(e.account) ?? new Map<string, { value: string; currency: string }>();
    this.summaryRows.set(e.account, rows);
    rows.set(e.tag, { value: e.value, currency: e.currency });
  }

  /**
   * IB (and ib-sim) re-send the whole summary after every fill. The first summary after a quiet
   * spell is written at once; ones arriving within `summaryIntervalMs` of the last write are
   * coalesced (latest wins) and written by `flush` — as positions are — so a burst of fills costs
   * one write and one AccountSummaryReport per interval, not one per fill.
   */
  async onAccountSummaryEnd(e: Parameters<RawClientEvents['accountSummaryEnd']>[0]): Promise<void> {
    if (e.reqId !== this.summaryReqId) return;
    for (const [account, rows] of this.summaryRows) {
      try {
        const summary = accountSummaryFromTags(account, rows, this.clock.now().toISOString());
        if (summary === undefined) {
          this.logger.warn('account summary incomplete', { account, tags: [...rows.keys()] });
          continue;
        }
        this.pendingSummaries.set(account, summary);
      } catch (error) {
        this.logger.error('account summary could not be mapped', { account, error: describe(error) });
      }
    }
    if (this.lastSummaryWriteMs === undefined || this.clock.now().getTime() - this.lastSummaryWriteMs >= this.summaryIntervalMs) await this.flushAccountSummaries();
  }

  /** Writes account summaries held back by the rate limit. */
  async flushAccountSummaries(): Promise<void> {
    if (this.pendingSummaries.size === 0) return;
    this.lastSummaryWriteMs = this.clock.now().getTime();
    for (const [account, summary] of [...this.pendingSummaries]) {
      this.pendingSummaries.delete(account);
      await this.accounts.put(summary);
      await this.sink.emit('AccountSummaryReport', { summary });
    }
  }

  /** The periodic write: changed positions and held-back account summaries. */
  async flush(): Promise<void> {
    await this.flushPositions();
    await this.flushAccountSummaries();
  }
}
