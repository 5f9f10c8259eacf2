import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type PutCommandInput, type QueryCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DynamoTableRef } from './client.js';
import type { z } from 'zod';
import { isConditionalCheckFailed, parseRecord, translateDynamoError } from './errors.js';
import { stripKeys } from './keys.js';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/**
 * The few table operations the adapters use, with SDK errors translated once and query paging
 * handled. A lost condition is reported as `false`, never thrown: each adapter maps it to its
 * port's `ConcurrencyError` code.
 * @internal
 */
export class Table {
  constructor(private readonly ref: DynamoTableRef) {}

  get name(): string {
    return this.ref.tableName;
  }

  async get(key: Key, consistent = true): Promise<Item | undefined> {
    try {
      const r = await this.ref.doc.send(new GetCommand({ TableName: this.ref.tableName, Key: key, ConsistentRead: consistent }));
      return r.Item;
    } catch (e) {
      throw translateDynamoError(e, 'GetItem', this.ref.tableName);
    }
  }

  /**
   * The record at `key` without its key attributes, validated with `schema` (a corrupt item throws
   * `STORE.CORRUPT_RECORD` naming `what` and the field); `undefined` when there is none.
   */
  async getRecord<S extends z.ZodType>(key: Key, schema: S, what: string): Promise<z.infer<S> | undefined> {
    const item = await this.get(key);
    return item === undefined ? undefined : parseRecord(schema, stripKeys(item), what);
  }

  async put(item: Item, condition?: Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>): Promise<boolean> {
    try {
      await this.ref.doc.send(new PutCommand({ TableName: this.ref.tableName, Item: item, ...condition }));
      return true;
    } catch (e) {
      if (condition !== undefined && isConditionalCheckFailed(e)) return false;
      throw translateDynamoError(e, 'PutItem', this.ref.tableName);
    }
  }

  async update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Item | false> {
    try {
      const r = await this.ref.doc.send(new UpdateCommand({ TableName: this.ref.tableName, ReturnValues: 'ALL_NEW', ...input }));
      return r.Attributes ?? {};
    } catch (e) {
      if (input.ConditionExpression !== undefined && isConditionalCheckFailed(e)) return false;
      throw translateDynamoError(e, 'UpdateItem', this.ref.tableName);
    }
  }

  async delete(key: Key): Promise<void> {
    try {
      await this.ref.doc.send(new DeleteCommand({ TableName: this.ref.tableName, Key: key }));
    } catch (e) {
      throw translateDynamoError(e, 'DeleteItem', this.ref.tableName);
    }
  }

  /** All pages of a query (or up to `limit` items). */
  async query(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>, limit = Infinity): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const r = await this.ref.doc.send(new QueryCommand({ TableName: this.ref.tableName, ...input, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
        items.push(...(r.Items ?? []));
        start = r.LastEvaluatedKey;
      } while (start !== undefined && items.length < limit);
    } catch (e) {
      throw translateDynamoError(e, 'Query', this.ref.tableName);
    }
    return items.slice(0, limit);
  }

  /** Puts and deletes in batches of 25, resubmitting unprocessed items with backoff. */
  async batchWrite(puts: Item[], deletes: Key[] = []): Promise<void> {
    const requests: Array<Record<string, unknown>> = [...puts.map((Item) => ({ PutRequest: { Item } })), ...deletes.map((Key) => ({ DeleteRequest: { Key } }))];
    for (let i = 0; i < requests.length; i += 25) {
      let pending = requests.slice(i, i + 25);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= 8) throw translateDynamoError(new Error(`${pending.length} items unprocessed after ${attempt} attempts`), 'BatchWriteItem', this.ref.tableName);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
        try {
          const r = await this.ref.doc.send(new BatchWriteCommand({ RequestItems: { [this.ref.tableName]: pending } }));
          pending = (r.UnprocessedItems?.[this.ref.tableName] ?? []) as Array<Record<string, unknown>>;
        } catch (e) {
          throw translateDynamoError(e, 'BatchWriteItem', this.ref.tableName);
        }
      }
    }
  }
}
