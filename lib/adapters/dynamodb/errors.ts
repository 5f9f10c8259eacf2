import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { z } from 'zod';
import { TradeOpsError, ValidationError } from '../../core/shared/errors.js';

import { StoreError, StoreErrorCode } from '../../ports/store-errors.js';

/** @internal */
export function isConditionalCheckFailed(e: unknown): boolean {
  return e instanceof ConditionalCheckFailedException || (e instanceof Error && e.name === 'ConditionalCheckFailedException');
}

const UNAVAILABLE_NAMES = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'InternalServerError', 'ServiceUnavailable', 'TimeoutError']);

/** Translates an SDK or network error into a `StoreError` naming the operation and table. */
export function translateDynamoError(e: unknown, operation: string, tableName: string): TradeOpsError {
  if (e instanceof TradeOpsError) return e;
  const name = e instanceof Error ? e.name : 'Unknown';
  const status = (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  const networkish = e instanceof Error && 'code' in e && typeof (e as { code?: unknown }).code === 'string' && /^E[A-Z]+/.test((e as { code: string }).code);
  const unavailable = UNAVAILABLE_NAMES.has(name) || networkish || (status !== undefined && status >= 500);
  const code = unavailable ? StoreErrorCode.UNAVAILABLE : StoreErrorCode.REQUEST_FAILED;
  const message = e instanceof Error ? e.message : String(e);
  return new StoreError(code, `DynamoDB ${operation} on ${tableName} failed: ${name}: ${message}`, { cause: e, details: { operation, tableName, awsError: name } });
}

/**
 * Parses a stored record with its core schema. A corrupt record is a `ValidationError`
 * (`STORE.CORRUPT_RECORD`) whose message names the record and the first bad field.
 */
export function parseRecord<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  const first = issues[0];
  throw new ValidationError(StoreErrorCode.CORRUPT_RECORD, `corrupt ${what}: field ${first?.path ?? '?'}: ${first?.message ?? 'invalid'}`, issues);
}
