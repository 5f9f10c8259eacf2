import { z } from 'zod';
import { IsoTimestampSchema } from '../shared/ids.js';

/**
 * The system's lifecycle phase — the second axis beside the trading state.
 *
 * - The trading state (ACTIVE / REDUCING / HALTED) answers "may we trade, and how?": the kill
 *   switch, risk reduction, the two-person unlock. It is a control.
 * - The phase (STARTING / READY / DRAINING / STOPPED) answers "is the system in service?": the
 *   runbook's startup and graceful-shutdown procedures. It is an operating procedure.
 *
 * A new order needs both: trading state not HALTED (and reducing if REDUCING) AND phase READY.
 * Neither changes the other: a shutdown does not halt trading (after STOPPED and the next startup,
 * trading resumes in whatever trading state the firm left it), and the kill switch does not drain.
 * Cancels are never gated by the phase: a drain must be able to take orders off the market.
 *
 * No record at all means the lifecycle has never run in this environment (a fresh install):
 * new orders are then admitted by the trading state alone, as before the lifecycle existed. The
 * first `startup` or `shutdown` creates the record, and from then on it is always present.
 */
export const SystemPhase = { STARTING: 'STARTING', READY: 'READY', DRAINING: 'DRAINING', STOPPED: 'STOPPED' } as const;
export const SystemPhaseSchema = z.enum(['STARTING', 'READY', 'DRAINING', 'STOPPED']);
export type SystemPhase = z.infer<typeof SystemPhaseSchema>;

export const StartupStepName = z.enum(['CheckBrokerConnection', 'ValidateConfig', 'ClearStaleLocks', 'ReconcileOrders', 'VerifyPositions', 'ReviewPendingAlerts', 'MarkReady']);
export type StartupStepName = z.infer<typeof StartupStepName>;
/** The startup workflow's steps, in order (statemachines/startup.asl.json). */
export const STARTUP_STEPS: readonly StartupStepName[] = StartupStepName.options;

/** One step's outcome. `warn` passes (listed for the operator); `failed` stops the run. */
export const StartupStepResultSchema = z.strictObject({
  step: StartupStepName,
  status: z.enum(['ok', 'warn', 'failed']),
  at: IsoTimestampSchema,
  /** One line a person can act on. */
  summary: z.string(),
  /** Stable code when failed (`STARTUP.BROKER_NOT_CONNECTED`, …). */
  code: z.string().optional(),
  /** What the step found (counts, ids), for /api/system/state. */
  findings: z.record(z.string(), z.unknown()).optional(),
});
export type StartupStepResult = z.infer<typeof StartupStepResultSchema>;

export const StartupRunSchema = z.strictObject({
  runId: z.string().min(1),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED']),
  startedAt: IsoTimestampSchema,
  startedBy: z.string().min(1),
  finishedAt: IsoTimestampSchema.optional(),
  steps: z.array(StartupStepResultSchema),
  failedStep: StartupStepName.optional(),
  error: z.strictObject({ code: z.string(), message: z.string() }).optional(),
});
export type StartupRun = z.infer<typeof StartupRunSchema>;

export const DrainSchema = z.strictObject({
  drainId: z.string().min(1),
  requestedAt: IsoTimestampSchema,
  timeoutS: z.number().int().positive(),
  deadline: IsoTimestampSchema,
  /** The deadline passed with orders still working: the phase stays DRAINING until a person decides. */
  timedOut: z.boolean(),
  /** Working orders at the last check (ids), when the drain timed out. */
  workingOrders: z.array(z.string()).optional(),
  finishedAt: IsoTimestampSchema.optional(),
});
export type Drain = z.infer<typeof DrainSchema>;

/**
 * The one lifecycle record; every change is a conditional write on `version` and an audit entry.
 * @example
 * { phase: 'DRAINING', version: 4, since: '2026-11-27T21:00:00.000Z', by: 'jane.smith', reason: 'end of day', drain: { drainId: 'DRN-01J…', requestedAt: '…', timeoutS: 300, deadline: '…', timedOut: false }, startup: { runId: 'STARTUP-01J…', status: 'SUCCEEDED', … } }
 */
export const SystemPhaseRecordSchema = z.strictObject({
  phase: SystemPhaseSchema,
  version: z.number().int().nonnegative(),
  since: IsoTimestampSchema,
  by: z.string().min(1),
  reason: z.string(),
  drain: DrainSchema.optional(),
  startup: StartupRunSchema.optional(),
});
export type SystemPhaseRecord = z.infer<typeof SystemPhaseRecordSchema>;
export type SystemPhaseChange = Omit<SystemPhaseRecord, 'version'>;

export const LifecycleDenial = {
  STARTING: 'SYSTEM.STARTING',
  DRAINING: 'SYSTEM.DRAINING',
  STOPPED: 'SYSTEM.STOPPED',
} as const;
export type LifecycleDenial = (typeof LifecycleDenial)[keyof typeof LifecycleDenial];

/**
 * Why a NEW order may not go out in this phase, or undefined when it may. Only READY (or no record:
 * a fresh install) admits new orders: STARTING means the startup checks have not all passed
 * (running or failed), DRAINING and STOPPED mean an operator is taking the system out of service.
 * Reducing orders are refused too: a drain must end, and the kill switch, not the phase, is the
 * tool for emergencies. Cancels never come here.
 */
export function newOrderDenial(record: SystemPhaseRecord | undefined): { code: LifecycleDenial; message: string } | undefined {
  if (record === undefined || record.phase === 'READY') return undefined;
  const who = `${record.by} at ${record.since}${record.reason ? ` (${record.reason})` : ''}`;
  switch (record.phase) {
    case 'STARTING':
      return { code: LifecycleDenial.STARTING, message: record.startup?.status === 'FAILED' ? `the system is not READY: startup failed at ${record.startup.failedStep ?? 'a step'}; run the startup again once fixed` : `the system is STARTING (startup run by ${who}): no new orders until READY` };
    case 'DRAINING':
      return { code: LifecycleDenial.DRAINING, message: `the system is DRAINING for shutdown (requested by ${who}): no new orders; cancels still pass` };
    case 'STOPPED':
      return { code: LifecycleDenial.STOPPED, message: `the system is STOPPED (by ${who}): run the startup before trading` };
  }
}
