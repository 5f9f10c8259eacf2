import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCHMARKS, selectBenchmarks } from './registry.js';
import { describeMachine } from './lib/machine.js';
import { compareWithPrevious, toMarkdown, type BenchReport } from './lib/report.js';
import { failedResult, type BenchResult } from './lib/runner.js';
import type { Benchmark } from './lib/types.js';

/**
 * `npm run bench [-- --only a,b] [-- --quick] [-- --list]`
 *
 * Runs the registered benchmarks one after another, each in a process of its own (bench/run-one.ts), prints the report (stdout; progress goes to
 * stderr) and writes it. A full run writes `bench/results/latest.{json,md}` (committed: the
 * reference numbers); a `--quick` or `--only` run writes `bench/results/partial.{json,md}.tmp`
 * (git-ignored) so a partial look never replaces the reference. Exit code 1 if a benchmark failed.
 */
const USAGE = `usage: npm run bench -- [--only NAME[,NAME…]] [--quick] [--list]

  --only NAME   run only these benchmarks (repeatable or comma-separated)
  --quick       fewer iterations (a quick look; results go to bench/results/partial.*.tmp)
  --list        list the benchmarks and exit`;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'bench', 'results');

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2), strict: true, allowPositionals: false, options: { only: { type: 'string', multiple: true }, quick: { type: 'boolean' }, list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.list) {
    for (const b of BENCHMARKS) process.stdout.write(`${b.name.padEnd(18)} ${b.description}\n`);
    return 0;
  }
  const only = (values.only ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  let selected;
  try {
    selected = selectBenchmarks(only);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const quick = values.quick === true;
  // Benchmarks run from the repo root (the local system reads config/ relative to it).
  process.chdir(root);
  const machine = describeMachine(root);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`benchmarks: ${selected.map((b) => b.name).join(', ')}${quick ? ' (quick)' : ''} on ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`);

  const started = performance.now();
  const results: BenchResult[] = [];
  for (const bench of selected) {
    log(`▶ ${bench.name}`);
    const r = await runIsolated(bench, quick);
    log(`  ${r.status} in ${(r.durationMs / 1000).toFixed(1)} s`);
    results.push(r);
  }
  const full = !quick && only.length === 0;
  const stem = full ? 'latest' : 'partial';
  const suffix = full ? '' : '.tmp';
  const jsonPath = join(resultsDir, `${stem}.json${suffix}`);
  const mdPath = join(resultsDir, `${stem}.md${suffix}`);
  const report = compareWithPrevious({ schema: 'tradeops-bench/1', machine, options: { quick, only }, totalMs: performance.now() - started, results }, readPrevious(join(resultsDir, 'latest.json')));
  const markdown = toMarkdown(report);
  mkdirSync(resultsDir, { recursive: true });
  writeAtomically(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomically(mdPath, markdown);
  process.stdout.write(markdown);
  log(`wrote ${relative(root, jsonPath)} and ${relative(root, mdPath)}`);
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

/** Runs one benchmark in a fresh process (bench/run-one.ts); a crash or a silent exit is a failed result, not a failed run. */
function runIsolated(bench: Benchmark, quick: boolean): Promise<BenchResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = fork(join(root, 'bench', 'run-one.ts'), ['--name', bench.name, ...(quick ? ['--quick'] : [])], { cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: BenchResult | undefined;
    child.once('message', (m) => (result = m as BenchResult));
    child.once('exit', (code, signal) => {
      resolve(result ?? failedResult(bench, `its process exited (code ${code ?? 'none'}, signal ${signal ?? 'none'}) without a result`, performance.now() - started));
    });
  });
}

function readPrevious(path: string): BenchReport | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
  } catch {
    return undefined;
  }
}

/** Write beside, then rename: an interrupted run never leaves a half-written report. */
function writeAtomically(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

// Exit explicitly: keep-alive sockets and stopped servers' timers must not hold the run open.
main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
