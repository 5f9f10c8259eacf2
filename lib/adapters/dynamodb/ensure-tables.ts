import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLES, physicalTableName } from '../../catalog/tables.js';
import { translateDynamoError } from './errors.js';

/**
 * Creates the `state` table (and its GSI) from the table catalog if it does not exist, and waits
 * until it is ACTIVE. For the local runtime and tests only: in AWS the CDK data stack owns the table.
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
    if (d.Table?.TableStatus === 'ACTIVE') return tableName;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw translateDynamoError(new Error(`table ${tableName} did not become ACTIVE`), 'CreateTable', tableName);
}
