import type { EventHandler } from '../ports/events.js';
import type { AuditLog } from '../ports/stores.js';
import { AGENTS } from '../catalog/agents.js';
import { createAuditRecorder } from './audit/audit-recorder.js';

/** What agents may use; each runtime's composition root provides it. */
export interface AgentDeps {
  audit: AuditLog;
}

/** Handler factory per catalogued agent — the Lambda entries and the local agent host call these. */
export const AGENT_HANDLERS: Readonly<Record<string, (deps: AgentDeps) => EventHandler>> = {
  'audit-recorder': (deps) => createAuditRecorder({ audit: deps.audit }),
};

// Fail at import, not at the first event, if the catalog names an agent nobody implements.
for (const a of AGENTS) if (!AGENT_HANDLERS[a.name]) throw new Error(`agent ${a.name} is catalogued but has no handler in lib/app/agents.ts`);
