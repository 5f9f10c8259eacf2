import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClients, type DynamoDbClients } from '../../../lib/adapters/dynamodb/client.js';
import { ensureTables } from '../../../lib/adapters/dynamodb/ensure-tables.js';
import { startLocalDynamo, type LocalDynamo } from '../../../lib/local/servers/dynamodb-local.js';

describe('ensureTables', () => {
  let server: LocalDynamo;
  let clients: DynamoDbClients;
  beforeAll(async () => {
    server = await startLocalDynamo();
    clients = createDynamoDbClients({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
  });
  afterAll(async () => {
    clients.client.destroy();
    await server.close();
  });

  it("creates the state table with every GSI of the catalog, and accepts it on the next start", async () => {
    const tableName = await ensureTables(clients.client, 'fresh');
    await ensureTables(clients.client, 'fresh');

    const d = await clients.client.send(new DescribeTableCommand({ TableName: tableName }));
    expect((d.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort()).toEqual(['gsi1', 'gsi2']);
  });

  it('refuses a table kept from an older catalog that lacks a GSI, naming it, rather than fail on the first query', async () => {
    // Prepare: the table as the previous version created it (gsi1 only)
    await clients.client.send(new CreateTableCommand({
      TableName: 'tradeops-old-state',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }));

    await expect(ensureTables(clients.client, 'old')).rejects.toMatchObject({ code: 'STORE.REQUEST_FAILED', details: { missing: ['gsi2'] } });
  });
});
