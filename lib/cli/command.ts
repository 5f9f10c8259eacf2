import type { ParseArgsOptionsConfig } from 'node:util';
import { DEFAULT_API_URL, type ApiClient } from './api-client.js';

/** What a command may touch: output streams and the API. Tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  api(baseUrl: string): ApiClient;
}

export interface CliCommand {
  readonly name: string;
  /** The runbook script this replaces, for operators who know the old name. */
  readonly replaces?: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: ParseArgsOptionsConfig;
  /** Returns the process exit code: 0 ok, 1 the check failed, 2 usage error. */
  run(values: Record<string, string | boolean | string[] | boolean[] | undefined>, positionals: string[], io: CliIo): Promise<number>;
}

export const API_OPTION = { api: { type: 'string' as const } };

/** A string flag's value, or undefined when it was not given (parseArgs leaves booleans and absences). */
export const stringFlag = (values: Readonly<Record<string, unknown>>, name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);

/** The API client `--api URL` names (default http://localhost:8080): every API command uses this one. */
export function apiFrom(values: Readonly<Record<string, unknown>>, io: CliIo): ApiClient {
  return io.api(typeof values['api'] === 'string' ? values['api'] : DEFAULT_API_URL);
}

/** The error body every route answers with (lib/api/dispatch.ts). */
export interface ApiErrorBody {
  error?: string;
  message?: string;
  issues?: Array<{ path: string; message: string }>;
}

/**
 * A refused API call as one line a person can act on: what failed, the error code (or the HTTP
 * status), the message, and each field at fault.
 * @example apiFailure('kill switch NOT activated', 400, { error: 'BAD_REQUEST', issues: [{ path: 'body.reason', message: 'Required' }] })
 */
export function apiFailure(what: string, status: number, body: unknown): string {
  const b = (typeof body === 'object' && body !== null ? body : {}) as ApiErrorBody;
  const issues = (b.issues ?? []).map((i) => `${i.path}: ${i.message}`).join('; ');
  return `${what}: ${b.error ?? `HTTP ${status}`} ${b.message ?? ''}${issues ? ` (${issues})` : ''}`.trim();
}
