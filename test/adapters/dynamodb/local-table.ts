import { startLocalDynamo, type LocalDynamo } from '../../../lib/local/servers/dynamodb-local.js';
import { createDynamoDbClients, type DynamoDbClients, type DynamoTableRef } from '../../../lib/adapters/dynamodb/client.js';
import { ensureTables } from '../../../lib/adapters/dynamodb/ensure-tables.js';

/** A real dynalite on a free port with the `state` table created; one per test file. */
export interface LocalTable extends DynamoTableRef {
  server: LocalDynamo;
  clients: DynamoDbClients;
  close(): Promise<void>;
}

export async function startLocalTable(options: { dataDir?: string; env?: string } = {}): Promise<LocalTable> {
  const server = await startLocalDynamo(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  const clients = createDynamoDbClients({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
  const tableName = await ensureTables(clients.client, options.env ?? 'test');
  return {
    server,
    clients,
    doc: clients.doc,
    tableName,
    async close() {
      clients.client.destroy();
      await server.close();
    },
  };
}
