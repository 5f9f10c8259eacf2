/**
 * The DynamoDB table design: one source for the CDK data stack and the DynamoDB adapters.
 * Single-table: `pk`/`sk` strings; GSI `gsi1` for "working orders" and "by trading day", GSI `gsi2`
 * for "a day's orders by last write" (the pre-trade message-rate rule's last second is a key range).
 * Item layout per record type lives beside the adapter that writes it (lib/adapters/dynamodb/keys.ts).
 */
export const TABLES = {
  state: {
    /** Logical name; the physical name comes from CDK (AWS) or `tradeops-<env>-state` (local). */
    id: 'state',
    partitionKey: 'pk',
    sortKey: 'sk',
    gsis: [
      { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    ],
    /** Expiring records (market snapshots, idempotency keys) carry this attribute. */
    ttlAttribute: 'expiresAt',
  },
} as const;
export type TableId = keyof typeof TABLES;

export function physicalTableName(env: string, id: TableId): string {
  return `tradeops-${env}-${id}`;
}
