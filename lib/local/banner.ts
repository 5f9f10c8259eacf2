import type { LocalSystem } from './runtime.js';

/** What `npm start` prints once up: where everything is, and how to use and stop it. */
export function formatBanner(s: LocalSystem, rssBytes: number): string {
  const api = s.apiUrl.replace('127.0.0.1', 'localhost');
  const lines = [
    '',
    `TradeOps is up — env ${s.config.env}, ${s.config.account.mode} account, trading through ${s.broker.kind === 'sim' ? 'the IB simulator' : 'your IB Gateway/TWS'}`,
    '',
    `  Ops API          ${api}   (curl ${api}/health, ${api}/ready, ${api}/api/positions)`,
    `  Broker (TWS API) ${s.broker.host}:${s.broker.port}${s.broker.kind === 'sim' ? '   (ib-sim; any @stoqey/ib client can connect)' : ''}`,
    ...(s.ibSim ? [`  Simulator admin  ${s.ibSim.adminUrl}   (own process, pid ${s.ibSim.pid}; GET /state; POST /faults/...)`] : []),
    s.endpoints.dynamodb === undefined ? '  State            in memory — NOT persistent: lost when this process stops' : `  DynamoDB (local) ${s.endpoints.dynamodb}`,
    `  S3 (local)       ${s.endpoints.s3}`,
    `  Data             ${s.dataDir}   (${s.state.persistent ? 'kept across restarts; --fresh starts empty' : 'S3 objects, logs and outbox; state is in memory'})`,
    `  Logs (JSON)      ${s.logFile ?? '(custom stream)'}`,
    `  Notifications    ${s.outboxFile}`,
    `  Memory           ${Math.round(rssBytes / (1024 * 1024))} MB RSS${s.ibSim ? ' (this process; the simulator has its own)' : ''}`,
    '',
    `  CLI: npx tradeops check-ib-connection | show-positions | validate-config   (--api ${api})`,
    '',
    '  Reads (GET) are open on this machine; every change needs a token. Get one (roles: viewer, operator, risk_manager, compliance, admin):',
    `    export TRADEOPS_TOKEN=$(npx tradeops login --local --user "$USER" --role admin --data-dir ${s.dataDir})`,
    `    curl -H "Authorization: Bearer $TRADEOPS_TOKEN" -X POST ${api}/api/...`,
    '  Ctrl-C stops everything in order.',
    '',
  ];
  return lines.join('\n');
}
