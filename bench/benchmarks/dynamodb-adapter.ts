import { join } from 'node:path';
import { nextEntry, verifyChain } from '../../lib/core/audit/chain.js';
import { FillSchema, type Fill } from '../../lib/core/fills/fill.js';
import { OrderSchema, type Order } from '../../lib/core/orders/order.js';
import type { Clock } from '../../lib/core/shared/clock.js';
import { createDynamoDbClients, ensureTables, DynamoDbAuditLog, DynamoDbFillStore, DynamoDbOrderStore } from '../../lib/adapters/dynamodb/index.js';
import { startLocalDynamo } from '../../lib/local/servers/dynamodb-local.js';
import { OutcomeBuilder, type BenchContext, type Benchmark } from '../lib/types.js';

const CLOCK: Clock = { now: () => new Date() };

/**
 * `dynamodb-adapter`: latency of the state-store adapters as the bridge and API use them, against
 * dynalite on disk (what `npm start` runs) over loopback HTTP with the AWS SDK: OrderStore
 * create / get / update (conditional on version), FillStore.recordIfNew (conditional put) and
 * AuditLog.append (head probe + conditional entry write + head advance). One operation at a time,
 * so each sample is one adapter call's full round trip(s).
 */
export const dynamodbAdapter: Benchmark = {
  name: 'dynamodb-adapter',
  description: 'OrderStore create/get/update, FillStore.recordIfNew, AuditLog.append against dynalite (on disk), one call at a time',
  budgetMs: 60_000,
  async run(ctx) {
    const out = new OutcomeBuilder();
    const warmup = 50;
    const n = ctx.iterations(500, 100);
    const dynamo = await startLocalDynamo({ dataDir: join(ctx.tmpDir, 'dynamodb') });
    const { client, doc } = createDynamoDbClients({ region: 'us-east-1', endpoint: dynamo.endpoint, localCredentials: true });
    try {
      const tableName = await ensureTables(client, 'bench');
      const ref = { doc, tableName };
      const orders = new DynamoDbOrderStore(ref);
      const fills = new DynamoDbFillStore(ref);
      const audit = new DynamoDbAuditLog(ref, { clock: CLOCK, nextEntry });

      const create: number[] = [];
      const get: number[] = [];
      const update: number[] = [];
      const record: number[] = [];
      const append: number[] = [];
      for (let i = 0; i < warmup + n; i++) {
        ctx.checkpoint();
        const keep = i >= warmup;
        const order = anOrder(i);
        const created = await timed(keep ? create : undefined, () => orders.create(order));
        const read = await timed(keep ? get : undefined, () => orders.get(order.clientOrderId));
        if (read?.version !== created.version) throw new Error(`order ${order.clientOrderId} read back with version ${read?.version}, wrote ${created.version}`);
        await timed(keep ? update : undefined, () => orders.update({ ...read, status: 'SUBMITTED', brokerOrderId: String(1000 + i) as Order['brokerOrderId'], updatedAt: new Date().toISOString() }));
        const isNew = await timed(keep ? record : undefined, () => fills.recordIfNew(aFill(i, order)));
        if (!isNew) throw new Error(`fill ${i} reported as a duplicate on first write`);
        await timed(keep ? append : undefined, () => audit.append({ actor: 'bench', action: 'ORDER_STATE_CHANGED', subject: order.clientOrderId, data: { from: 'APPROVED', to: 'SUBMITTED', brokerOrderId: String(1000 + i) }, correlationId: order.correlationId }));
      }
      const dCreate = out.dist('OrderStore.create', create, 'ms', { headline: true });
      const dGet = out.dist('OrderStore.get', get, 'ms', { headline: true });
      out.dist('OrderStore.update (conditional on version)', update, 'ms', { headline: true });
      out.dist('FillStore.recordIfNew', record, 'ms', { headline: true });
      const dAppend = out.dist('AuditLog.append', append, 'ms', { headline: true });
      out.ratio('AuditLog.append p50 / OrderStore.get p50', dAppend.p50, dGet.p50, 'p50 ratio (append = several round trips)');
      out.ratio('OrderStore.create p50 / OrderStore.get p50', dCreate.p50, dGet.p50, 'p50 ratio (conditional write vs read)');
      const head = await audit.head();
      out.figure({ name: 'audit chain length after the run', value: head?.seq ?? 0, goal: String(warmup + n), met: head?.seq === warmup + n });
      out.note(`${warmup} warm-up iterations excluded; ${n} measured of each operation, interleaved per iteration (create → get → update → recordIfNew → append), each call awaited before the next.`);
      out.note('dynalite persists to LevelDB in a temp folder, like `npm start`; real DynamoDB latency is network-bound and not comparable.');
      await checkChain(ctx, audit, warmup + n);
    } finally {
      client.destroy();
      await dynamo.close();
    }
    return out.build();
  },
};

async function timed<T>(into: number[] | undefined, op: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const v = await op();
  into?.push(performance.now() - t0);
  return v;
}

/** The chain the benchmark wrote must be whole: a fast append that forks the chain is not a result. */
async function checkChain(ctx: BenchContext, audit: DynamoDbAuditLog, expected: number): Promise<void> {
  const entries = [];
  for (let from = 1; from <= expected; from += 1000) entries.push(...(await audit.read(from, 1000)));
  const verdict = verifyChain(entries);
  if (!verdict.ok || verdict.count !== expected) throw new Error(`audit chain written by the benchmark does not verify: ${JSON.stringify(verdict)}`);
  ctx.log(`audit chain of ${expected} entries verifies`);
}

function anOrder(i: number): Order {
  const now = new Date().toISOString();
  return OrderSchema.parse({
    clientOrderId: `BENCH-DDB-${String(i).padStart(5, '0')}`,
    symbol: 'AAPL',
    side: i % 2 === 0 ? 'BUY' : 'SELL',
    quantity: 100,
    type: 'LMT',
    limitPrice: '187.20',
    tif: 'DAY',
    status: 'APPROVED',
    filledQuantity: 0,
    origin: { strategyId: 'bench', agentId: 'bench-dynamodb', agentVersion: '1', signalIds: ['sig-1'] },
    correlationId: `bench-ddb-${i}`,
    createdAt: now,
    updatedAt: now,
    version: 0,
  });
}

function aFill(i: number, order: Order): Fill {
  return FillSchema.parse({
    execId: `0000b3c4.${String(i).padStart(8, '0')}.01.01`,
    clientOrderId: order.clientOrderId,
    brokerOrderId: String(1000 + i),
    account: 'DU0000001',
    symbol: order.symbol,
    side: order.side,
    quantity: 100,
    price: '187.20',
    currency: 'USD',
    executedAt: new Date().toISOString(),
    correlationId: order.correlationId,
  });
}
