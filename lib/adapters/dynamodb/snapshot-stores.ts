import { AccountSummarySchema, type AccountSummary } from '../../core/account/account-summary.js';
import { ComponentHealthSchema, type ComponentHealth } from '../../core/health/health.js';
import { QuoteSchema, type Quote } from '../../core/market/quote.js';
import { PositionSchema, type Position } from '../../core/positions/position.js';
import type { AccountStore, HealthStore, PositionStore, QuoteStore } from '../../ports/stores.js';
import type { DynamoTableRef } from './client.js';
import { parseRecord } from './errors.js';
import { ACCOUNTS_PK, HEALTH_PK, Keys, POSITIONS_PK, QUOTES_PK, stripKeys } from './keys.js';
import { Table } from './table.js';

/**
 * The broker-reported snapshots (positions, account summaries, quotes, component health): each
 * kind is one partition, last write wins, no versioning (the broker is the source of truth).
 */

/** @internal */
async function listPartition<T>(table: Table, pk: string, parse: (raw: unknown, what: string) => T): Promise<T[]> {
  const items = await table.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true });
  return items.map((i) => parse(stripKeys(i), `${pk}/${String(i['sk'])}`));
}

/**
 * @example
 * await positions.replaceAccount('DU1234567', reported); // positions no longer reported are removed
 */
export class DynamoDbPositionStore implements PositionStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async replaceAccount(account: string, positions: Position[]): Promise<void> {
    const records = positions.map((p) => PositionSchema.parse(p));
    const foreign = records.find((p) => p.account !== account);
    if (foreign !== undefined) throw new TypeError(`position of account ${foreign.account} passed to replaceAccount(${account})`);
    const existing = await this.table.query({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :acct)', ExpressionAttributeValues: { ':pk': POSITIONS_PK, ':acct': `${account}#` }, ConsistentRead: true });
    const keep = new Set(records.map((p) => Keys.position(p.account, p.symbol).sk));
    const stale = existing.filter((i) => !keep.has(String(i['sk']))).map((i) => ({ pk: POSITIONS_PK, sk: String(i['sk']) }));
    await this.table.batchWrite(records.map((p) => ({ ...Keys.position(p.account, p.symbol), ...p })), stale);
  }

  list(): Promise<Position[]> {
    return listPartition(this.table, POSITIONS_PK, (raw, what) => parseRecord(PositionSchema, raw, `position ${what}`));
  }
}

export class DynamoDbAccountStore implements AccountStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }
  async put(summary: AccountSummary): Promise<void> {
    const record = AccountSummarySchema.parse(summary);
    await this.table.put({ ...Keys.account(record.account), ...record });
  }
  list(): Promise<AccountSummary[]> {
    return listPartition(this.table, ACCOUNTS_PK, (raw, what) => parseRecord(AccountSummarySchema, raw, `account summary ${what}`));
  }
}

export class DynamoDbQuoteStore implements QuoteStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }
  async putMany(quotes: Quote[]): Promise<void> {
    // BatchWrite refuses two writes to one key in a batch: keep the latest quote per symbol.
    const latest = new Map<string, Quote>();
    for (const q of quotes.map((x) => QuoteSchema.parse(x))) {
      const seen = latest.get(q.symbol);
      if (seen === undefined || seen.at <= q.at) latest.set(q.symbol, q);
    }
    await this.table.batchWrite([...latest.values()].map((q) => ({ ...Keys.quote(q.symbol), ...q })));
  }
  list(): Promise<Quote[]> {
    return listPartition(this.table, QUOTES_PK, (raw, what) => parseRecord(QuoteSchema, raw, `quote ${what}`));
  }
  get(symbol: string): Promise<Quote | undefined> {
    return this.table.getRecord(Keys.quote(symbol), QuoteSchema, `quote ${symbol}`);
  }
}

export class DynamoDbHealthStore implements HealthStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }
  async report(health: ComponentHealth): Promise<void> {
    const record = ComponentHealthSchema.parse(health);
    await this.table.put({ ...Keys.health(record.component), ...record });
  }
  list(): Promise<ComponentHealth[]> {
    return listPartition(this.table, HEALTH_PK, (raw, what) => parseRecord(ComponentHealthSchema, raw, `component health ${what}`));
  }
}
