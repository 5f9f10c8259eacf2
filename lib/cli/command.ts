import type { ParseArgsOptionsConfig } from 'node:util';
import type { ApiClient } from './api-client.js';

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
