import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLES, physicalTableName } from '../../catalog/tables.js';
import { translateDynamoError } from './errors.js';
import { StoreError, StoreErrorCode } from '../../ports/store-errors.js';

/**
 * Creates the `state` table (and its GSIs) from the table catalog if it does not exist, and waits
 * until it is ACTIVE. For the local runtime and tests only: in AWS the CDK data stack owns the table.
 * A table kept from an older catalog that lacks one of its GSIs is refused with STORE.REQUEST_FAILED:
 * dynalite cannot add a GSI to an existing table, and the adapters' queries of it would fail later
 * and less clearly (start with `--fresh`, or copy the data into a new table).
 * @returns the physical table name
 * @example
 * const tableName = await ensureTables(client, 'local'); // 'tradeops-local-state'
 */
export async function ensureTables(client: DynamoDBClient, env: string): Promise<string> {
  const t = TABLES.state;
  const tableName = physicalTableName(env, t.id);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: t.partitionKey, AttributeType: 'S' },
          { AttributeName: t.sortKey, AttributeType: 'S' },
          ...t.gsis.flatMap((g) => [
            { AttributeName: g.partitionKey, AttributeType: 'S' as const },
            { AttributeName: g.sortKey, AttributeType: 'S' as const },
          ]),
        ],
        KeySchema: [
          { AttributeName: t.partitionKey, KeyType: 'HASH' },
          { AttributeName: t.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: t.gsis.map((g) => ({
          IndexName: g.name,
          KeySchema: [
            { AttributeName: g.partitionKey, KeyType: 'HASH' as const },
            { AttributeName: g.sortKey, KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'ALL' as const },
        })),
      }),
    );
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw translateDynamoError(e, 'CreateTable', tableName);
  }
  // Local servers may report CREATING briefly (dynalite with createTableMs > 0).
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE') {
      const present = new Set((d.Table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
      const missing = t.gsis.map((g) => g.name).filter((name) => !present.has(name));
      if (missing.length > 0) throw new StoreError(StoreErrorCode.REQUEST_FAILED, `table ${tableName} lacks GSI ${missing.join(', ')} of the table catalog (made by an older version); dynalite cannot add one: start with --fresh`, { details: { tableName, missing } });
      return tableName;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw translateDynamoError(new Error(`table ${tableName} did not become ACTIVE`), 'CreateTable', tableName);
}
