import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from './command.js';
import { ApiUnreachableError, createApiClient } from './api-client.js';
import { checkIbConnection } from './commands/check-ib-connection.js';
import { showPositions } from './commands/show-positions.js';
import { validateConfig } from './commands/validate-config.js';
import { varDecomposition } from './commands/var-decomposition.js';
import { reducePosition } from './commands/reduce-position.js';
import { dailyPnlReport } from './commands/daily-pnl-report.js';
import { logComplianceAction, reviewMarAlert } from './commands/compliance.js';
import { login } from './commands/login.js';
// broker resilience (issue 4)
import { reconcileOrders, verifyPositions } from './commands/broker-reconcile.js';
import { eventbusStats } from './commands/eventbus-stats.js'; // event bus operations (issue 4)
import { unlockApprove, unlockCancel, unlockRequest, unlockStatus } from './commands/unlock.js'; // two-person unlock (issue 4)
import { archiveSession, reviewPendingAlerts, shutdown, startup } from './commands/lifecycle.js'; // lifecycle (issue 4)
import { cancelAllOrdersCommand, emergencyShutdownCommand, killSwitchCommand, notifyEmergencyCommand } from './commands/kill-switch.js'; // kill switch (issue 4)
import { incidentsCommand, resolveIncidentCommand } from './commands/incidents.js';

/** The ops CLI's command table: the runbook's python scripts, one row each. */
export const COMMANDS: ReadonlyArray<CliCommand> = [
  login, checkIbConnection, showPositions, validateConfig, reviewMarAlert, logComplianceAction, varDecomposition, reducePosition, dailyPnlReport,
  reconcileOrders, verifyPositions,
  unlockRequest, unlockApprove, unlockStatus, unlockCancel,
  eventbusStats,
  startup, shutdown, reviewPendingAlerts, archiveSession,
  killSwitchCommand, cancelAllOrdersCommand, notifyEmergencyCommand, emergencyShutdownCommand,
  incidentsCommand, resolveIncidentCommand,
];

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: tradeops <command> [options]   (every command takes --help)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}${c.replaces ? ` [was ${c.replaces}]` : ''}`),
    '',
    'API commands talk to --api URL (default http://localhost:8080), so they work against AWS too.',
  ].join('\n');
}

/** Runs one CLI invocation and returns the exit code; never throws for bad input. */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command: ${name}\n\n${helpText()}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: { ...command.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\nusage: ${command.usage}`);
    return 2;
  }
  if (parsed.values['help'] === true) {
    io.out(`${command.summary}\nusage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(parsed.values, parsed.positionals, io);
  } catch (e) {
    if (e instanceof ApiUnreachableError) {
      io.err(`Connection: DOWN — ${e.message}`);
      return 1;
    }
    throw e;
  }
}

function defaultIo(): CliIo {
  return {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    api: (url) => createApiClient(url, { token: process.env['TRADEOPS_TOKEN'] }),
  };
}
