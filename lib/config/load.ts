import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ValidationError } from '../core/shared/errors.js';
import { AppConfigSchema, ENV_NAMES, type AppConfig } from './schema.js';

/** Where the shipped configs live: `<repo>/config`, found from this file, not from the cwd. */
export const DEFAULT_CONFIG_DIR = fileURLToPath(new URL('../../config/', import.meta.url));

export type ConfigErrorCode = 'CONFIG.INVALID' | 'CONFIG.NOT_FOUND' | 'CONFIG.UNREADABLE_YAML' | 'CONFIG.ENV_MISMATCH';

/**
 * A configuration file that cannot be used. The message names the file and every field:
 * `config/prod.yaml: limits.maxLeverage: Invalid input: expected string, received number (line 42)`.
 * `issues[].path` is the dotted field path (`universe[0].symbol`).
 */
export class ConfigError extends ValidationError {
  readonly file: string;
  constructor(code: ConfigErrorCode, file: string, issues: ReadonlyArray<{ path: string; message: string; line?: number }>) {
    const lines = issues.map((i) => `${file}: ${i.path === '' ? '' : `${i.path}: `}${i.message}${i.line === undefined ? '' : ` (line ${i.line})`}`);
    super(code, lines.join('\n'), issues);
    this.name = 'ConfigError';
    this.file = file;
  }
}

export interface LoadConfigOptions {
  /** Folder holding `<env>.yaml`. @default the repository's `config/` folder */
  readonly dir?: string;
}

/**
 * Reads and validates `config/<env>.yaml`; the only way runtime code and the CDK app get config.
 * @throws ConfigError naming the file and each bad field.
 * @example
 * const cfg = loadConfig('local'); cfg.broker.port // 4002
 */
export function loadConfig(env: string, options: LoadConfigOptions = {}): AppConfig {
  const dir = options.dir ?? DEFAULT_CONFIG_DIR;
  const path = join(dir, `${env}.yaml`);
  if (!/^[a-z][a-z0-9-]*$/.test(env) || !existsSync(path)) {
    throw new ConfigError('CONFIG.NOT_FOUND', displayPath(path), [{ path: '', message: `no config for environment "${env}" (known: ${listConfigEnvs(dir).join(', ') || 'none'})` }]);
  }
  const config = validateConfigFile(path);
  if (config.env !== env) {
    throw new ConfigError('CONFIG.ENV_MISMATCH', displayPath(path), [{ path: 'env', message: `file is for "${env}" but says "${config.env}"` }]);
  }
  return config;
}

/**
 * Validates one YAML file against the schema, whatever its name.
 * @throws ConfigError
 * @example validateConfigFile('config/paper.yaml').account.mode // 'paper'
 */
export function validateConfigFile(path: string): AppConfig {
  const shown = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError('CONFIG.NOT_FOUND', shown, [{ path: '', message: `cannot read: ${(cause as Error).message}` }]);
  }
  return parseConfigText(text, shown);
}

/**
 * Validates YAML text; `file` only labels the messages.
 * @throws ConfigError
 */
export function parseConfigText(text: string, file: string): AppConfig {
  const lineCounter = new LineCounter();
  // uniqueKeys: a key written twice is an error, not "last one wins".
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      'CONFIG.UNREADABLE_YAML',
      file,
      doc.errors.map((e) => ({ path: '', message: e.message.split('\n')[0] ?? e.message, line: e.linePos?.[0].line })),
    );
  }
  const result = AppConfigSchema.safeParse(doc.toJS());
  if (!result.success) {
    throw new ConfigError('CONFIG.INVALID', file, flattenIssues(result.error.issues, doc, lineCounter));
  }
  return result.data;
}

/** Environments that have a file in `dir`, in the canonical order first. */
export function listConfigEnvs(dir: string = DEFAULT_CONFIG_DIR): string[] {
  if (!existsSync(dir)) return [];
  const found = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'));
  const known = ENV_NAMES.filter((e) => found.includes(e));
  return [...known, ...found.filter((f) => !(ENV_NAMES as readonly string[]).includes(f)).sort()];
}

/**
 * `tradeops validate-config [--env X | --file F] [--dir D]`: with neither, every config in the
 * folder. Pure apart from reading files, so the CLI shell only prints and exits.
 * @example runValidateConfig(['--env', 'prod']) // { exitCode: 0, output: 'config/prod.yaml: OK (...)' }
 */
export function runValidateConfig(args: readonly string[]): { exitCode: number; output: string } {
  const usage = 'usage: tradeops validate-config [--env <name> | --file <path>] [--dir <config dir>]';
  const opts: { env?: string; file?: string; dir?: string } = {};
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    const value = args[i + 1];
    if ((flag === '--env' || flag === '--file' || flag === '--dir') && value !== undefined && !value.startsWith('--')) {
      opts[flag.slice(2) as 'env' | 'file' | 'dir'] = value;
      i += 1;
    } else if (flag === '--help' || flag === '-h') {
      return { exitCode: 0, output: usage };
    } else {
      return { exitCode: 2, output: `unexpected argument: ${flag ?? ''}\n${usage}` };
    }
  }
  if (opts.env !== undefined && opts.file !== undefined) return { exitCode: 2, output: `--env and --file are exclusive\n${usage}` };

  const dir = opts.dir ?? DEFAULT_CONFIG_DIR;
  const jobs: Array<{ label: string; run: () => AppConfig }> =
    opts.file !== undefined
      ? [{ label: displayPath(opts.file), run: () => validateConfigFile(opts.file as string) }]
      : (opts.env !== undefined ? [opts.env] : listConfigEnvs(dir)).map((env) => ({ label: displayPath(join(dir, `${env}.yaml`)), run: () => loadConfig(env, { dir }) }));
  if (jobs.length === 0) return { exitCode: 1, output: `no config files in ${displayPath(dir)}` };

  const lines: string[] = [];
  let failed = false;
  for (const job of jobs) {
    try {
      const c = job.run();
      lines.push(`${job.label}: OK (env ${c.env}, account ${c.account.mode}, broker ${c.broker.kind} ${c.broker.host}:${c.broker.port}, ${c.universe.length} instruments)`);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      failed = true;
      lines.push(e.message);
    }
  }
  return { exitCode: failed ? 1 : 0, output: lines.join('\n') };
}

/** Relative to the cwd when inside it (`config/prod.yaml`), absolute otherwise. */
function displayPath(path: string): string {
  const abs = resolve(path);
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** zod issues → one entry per field; unknown keys get one entry each, named by their own path. */
function flattenIssues(issues: readonly z.core.$ZodIssue[], doc: Document, lineCounter: LineCounter): Array<{ path: string; message: string; line?: number }> {
  const out: Array<{ path: string; message: string; line?: number }> = [];
  for (const issue of issues) {
    const base = issue.path.map((p) => (typeof p === 'symbol' ? p.toString() : p));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(withLine({ path: [...base, key], message: 'unknown key (not in the schema)' }, doc, lineCounter));
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the first branch's reasons rather than a bare "invalid input".
      out.push(...flattenIssues(issue.errors[0] ?? [], doc, lineCounter).map((i) => ({ ...i, path: i.path === '' ? formatPath(base) : i.path })));
    } else {
      out.push(withLine({ path: base, message: issue.message }, doc, lineCounter));
    }
  }
  return out;
}

function withLine(i: { path: (string | number)[]; message: string }, doc: Document, lineCounter: LineCounter): { path: string; message: string; line?: number } {
  const line = lineOf(doc, i.path, lineCounter);
  return line === undefined ? { path: formatPath(i.path), message: i.message } : { path: formatPath(i.path), message: i.message, line };
}

/** The line of the deepest node of `path` that exists in the YAML (a missing field points at its parent). */
function lineOf(doc: Document, path: (string | number)[], lineCounter: LineCounter): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const sub = path.slice(0, depth);
    const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
    if (node !== undefined && node !== null && (isScalar(node) || isMap(node) || isSeq(node)) && node.range) {
      // For a key that exists, point at the key's line via the pair when it is a map entry.
      return lineCounter.linePos(node.range[0]).line;
    }
  }
  return undefined;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`), '');
}
