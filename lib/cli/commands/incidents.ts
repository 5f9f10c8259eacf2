import type { CliCommand } from '../command.js';
import { API_OPTION, apiFailure, apiFrom } from '../command.js';
import { operatorOf } from './risk-format.js';

interface IncidentView {
  id: string;
  severity: string;
  title: string;
  openedBy: string;
  openedAt: string;
  status: string;
  timeline: Array<{ at: string; by: string; event: string }>;
}


/** Runbook SEV1 steps 2 and 5 (assess, investigate): the open incidents with their timelines. */
export const incidentsCommand: CliCommand = {
  name: 'incidents',
  summary: 'Open incidents (SEV1 kill switch, SEV2 strategy halt), oldest first, with their timelines',
  usage: 'tradeops incidents [--api URL] [--json]',
  options: { ...API_OPTION, json: { type: 'boolean' } },
  async run(values, _p, io) {
    const reply = await apiFrom(values, io).get('/api/incidents');
    if (reply.status !== 200) {
      io.err(apiFailure('incidents', reply.status, reply.body));
      return 1;
    }
    const { incidents } = reply.body as { incidents: IncidentView[] };
    if (values['json'] === true) {
      io.out(JSON.stringify(reply.body, null, 2));
      return 0;
    }
    if (incidents.length === 0) io.out('no open incident');
    for (const i of incidents) {
      io.out(`${i.id}  ${i.severity}  ${i.title}  opened by ${i.openedBy} at ${i.openedAt}`);
      for (const t of i.timeline) io.out(`    ${t.at}  ${t.by}: ${t.event}`);
    }
    return 0;
  },
};

const RESOLVE_USAGE = 'tradeops resolve-incident --incident-id INC-… --resolution TEXT [--operator NAME] [--api URL]';

/** Runbook SEV1 steps 6-7 (resolve, recover): refused while the halt that opened it is in force. */
export const resolveIncidentCommand: CliCommand = {
  name: 'resolve-incident',
  summary: 'Resolve an incident once recovered (audited); exit 1 while its halt is still in force',
  usage: RESOLVE_USAGE,
  options: { ...API_OPTION, 'incident-id': { type: 'string' }, resolution: { type: 'string' }, operator: { type: 'string' } },
  async run(values, _p, io) {
    const id = values['incident-id'];
    const resolution = values['resolution'];
    if (typeof id !== 'string' || typeof resolution !== 'string' || resolution.trim() === '') {
      io.err(`--incident-id and --resolution are required\nusage: ${RESOLVE_USAGE}`);
      return 2;
    }
    const reply = await apiFrom(values, io).post(`/api/incidents/${encodeURIComponent(id)}/resolve`, { resolution, ...operatorOf(values) });
    if (reply.status !== 200) {
      io.err(apiFailure('incident NOT resolved', reply.status, reply.body));
      return reply.status === 400 ? 2 : 1;
    }
    const r = reply.body as { id: string; resolvedBy: string; resolvedAt: string };
    io.out(`${r.id} resolved by ${r.resolvedBy} at ${r.resolvedAt}`);
    return 0;
  },
};
