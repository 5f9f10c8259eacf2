import type { CliCommand } from '../command.js';
import { API_OPTION, apiFrom } from '../command.js';

interface HealthBody {
  status?: string;
  components?: Record<string, { status?: string; detail?: Record<string, unknown> }>;
}

/**
 * Runbook step 1 of the pre-market checklist: `Connection: OK` and exit 0 only when the broker
 * component is ok — the bridge is logged in and the API answers a round trip — never merely
 * because a port is open.
 */
export const checkIbConnection: CliCommand = {
  name: 'check-ib-connection',
  replaces: 'scripts/check_ib_connection.py',
  summary: 'Is the broker session logged in and answering? Prints "Connection: OK" (exit 0) or the reason (exit 1)',
  usage: 'tradeops check-ib-connection [--api URL]',
  options: { ...API_OPTION },
  async run(values, _positionals, io) {
    const api = apiFrom(values, io);
    const reply = await api.get('/health');
    const body = reply.body as HealthBody;
    const broker = body?.components?.['broker'];
    if (!broker) {
      io.out(`Connection: UNKNOWN — the API answered ${reply.status} without a broker component`);
      return 1;
    }
    const detail = broker.detail ?? {};
    if (broker.status === 'ok') {
      const extras = ['account', 'serverVersion', 'lastRoundTripMs'].filter((k) => detail[k] !== undefined).map((k) => `${k}=${String(detail[k])}`);
      io.out(`Connection: OK${extras.length ? ` (${extras.join(', ')})` : ''}`);
      return 0;
    }
    const reason = detail['reason'] ?? detail['error'] ?? detail['state'] ?? 'no reason given';
    io.out(`Connection: ${String(broker.status ?? 'down').toUpperCase()} — ${String(reason)}`);
    return 1;
  },
};
