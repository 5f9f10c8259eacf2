import { runCli } from '../lib/cli/main.js';

// The ops CLI (`npx tradeops <command>`): replaces the runbook's python scripts.
process.exitCode = await runCli(process.argv.slice(2));
