/**
 * One benchmark in a process of its own (forked by bench/run.ts): `--name NAME [--quick]`; the
 * result goes back over IPC. Each benchmark then starts with a fresh heap, JIT and event loop: a
 * local system started by an earlier one (its garbage, its caches) does not slow the next.
 */
import { parseArgs } from 'node:util';
import { selectBenchmarks } from './registry.js';
import { runBenchmark } from './lib/runner.js';

const { values } = parseArgs({ args: process.argv.slice(2), strict: true, options: { name: { type: 'string' }, quick: { type: 'boolean' } } });
const [bench] = selectBenchmarks([values.name ?? '']);
if (bench === undefined || process.send === undefined) {
  process.stderr.write('run-one: forked by bench/run.ts with --name NAME\n');
  process.exit(2);
}
const result = await runBenchmark(bench, { quick: values.quick === true, log: (line) => process.stderr.write(`${line}\n`) });
// Exit explicitly once the result is sent: keep-alive sockets and stopped servers' timers must not hold it.
process.send(result, () => process.exit(0));
