import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Explicit client configuration; read from config at the edge, never from the environment here. */
export interface DynamoDbClientConfig {
  region: string;
  /** Local DynamoDB-API server, e.g. `http://127.0.0.1:8000`; omitted in AWS. */
  endpoint?: string;
  /**
   * `true` uses dummy static credentials (local servers ignore them but the SDK signs every
   * request); omit in AWS, where the default provider chain supplies the role's credentials.
   */
  localCredentials?: boolean;
  /** Retries of throttled/5xx calls by the SDK; default 3. */
  maxAttempts?: number;
}

/** The low-level client (table management) and the DocumentClient (records as plain objects). */
export interface DynamoDbClients {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/** Dummy credentials for local servers, which accept any signature. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * @example
 * const { client, doc } = createDynamoDbClients({ region: 'us-east-1', endpoint: ddb.endpoint, localCredentials: true });
 */
export function createDynamoDbClients(config: DynamoDbClientConfig): DynamoDbClients {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: config.maxAttempts ?? 3,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.localCredentials === true ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
  const doc = DynamoDBDocumentClient.from(client, {
    // Optional record fields are `undefined` in TypeScript and absent in DynamoDB.
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { client, doc };
}

/** What every table adapter needs: the document client and the physical table name. */
export interface DynamoTableRef {
  doc: DynamoDBDocumentClient;
  tableName: string;
}
