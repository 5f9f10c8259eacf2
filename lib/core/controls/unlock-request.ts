import { z } from 'zod';
import { IsoTimestampSchema } from '../shared/ids.js';
import { UserRoleSchema } from '../auth/roles.js';

/**
 * The two-person unlock of a halted trading state (runbook "Kill Switch Deactivation"): one person
 * asks, others approve within a time limit, and only then — and only if the system is fit to trade —
 * does trading resume. Records, statuses and the policy live here; the rules are in unlock-rules.ts.
 */

export const UnlockStatus = {
  /** Waiting for approvals. */
  PENDING: 'PENDING',
  /** Approvals complete; trading resumes as soon as the preconditions hold (until expiry). */
  APPROVED: 'APPROVED',
  /** Trading state moved out of HALTED by this request (once). */
  EXECUTED: 'EXECUTED',
  /** Not completed in time; a new request is needed. */
  EXPIRED: 'EXPIRED',
  /** Invalidated: the halt it was made for was superseded (a new halt, or someone else resumed). */
  REFUSED: 'REFUSED',
  CANCELLED: 'CANCELLED',
} as const;
export const UnlockStatusSchema = z.enum(['PENDING', 'APPROVED', 'EXECUTED', 'EXPIRED', 'REFUSED', 'CANCELLED']);
export type UnlockStatus = z.infer<typeof UnlockStatusSchema>;

/** Statuses after which nothing more may happen to a request (no approval, no execution). */
export const FINISHED_UNLOCK_STATUSES: readonly UnlockStatus[] = ['EXECUTED', 'EXPIRED', 'REFUSED', 'CANCELLED'];
export const isFinished = (s: UnlockStatus): boolean => FINISHED_UNLOCK_STATUSES.includes(s);

/** Where an unlock takes trading: straight back to ACTIVE (default), or REDUCING first. */
export const UnlockTargetModeSchema = z.enum(['ACTIVE', 'REDUCING']);
export type UnlockTargetMode = z.infer<typeof UnlockTargetModeSchema>;

/** `REQ-` + a ULID: sortable by creation, unguessable enough that ids are not enumerated. */
export const UnlockRequestIdSchema = z.string().regex(/^REQ-[0-9A-HJKMNP-TV-Z]{26}$/, 'REQ- followed by a 26-character ULID');
export type UnlockRequestId = z.infer<typeof UnlockRequestIdSchema>;

export const UnlockApprovalSchema = z.strictObject({ approver: z.string().min(1), at: IsoTimestampSchema, roles: z.array(UserRoleSchema) });
export type UnlockApproval = z.infer<typeof UnlockApprovalSchema>;

/** The precondition checks run before trading resumes, by name (stable: runbooks and alerts refer to them). */
export const PreconditionNameSchema = z.enum(['halt_unchanged', 'broker_connected', 'broker_reconciled', 'no_unknown_orders', 'risk_within_limits']);
export type PreconditionName = z.infer<typeof PreconditionNameSchema>;

export const PreconditionCheckSchema = z.strictObject({ name: PreconditionNameSchema, ok: z.boolean(), message: z.string() });
export type PreconditionCheck = z.infer<typeof PreconditionCheckSchema>;

export const PreconditionReportSchema = z.strictObject({ checkedAt: IsoTimestampSchema, ok: z.boolean(), checks: z.array(PreconditionCheckSchema) });
export type PreconditionReport = z.infer<typeof PreconditionReportSchema>;

/** The halt a request lifts: the trading-state version it was made against and who set it. */
export const HaltRefSchema = z.strictObject({ version: z.number().int().nonnegative(), activatedBy: z.string().min(1), activatedAt: IsoTimestampSchema, reason: z.string() });
export type HaltRef = z.infer<typeof HaltRefSchema>;

/**
 * One unlock request. `version` is the store's optimistic-concurrency counter; `taskToken` is the
 * unlock workflow's current callback token (Step Functions `waitForTaskToken`), if one is waiting.
 * @example
 * { requestId: 'REQ-01JDX7Q8ZK0000000000000001', requestor: 'john.doe', reason: 'broker back, positions verified',
 *   targetMode: 'ACTIVE', status: 'PENDING', createdAt: '2026-11-27T15:00:00.000Z', expiresAt: '2026-11-27T15:30:00.000Z',
 *   approvalsRequired: 1, approvals: [], halt: { version: 7, activatedBy: 'jane.smith', activatedAt: '…', reason: 'Manual activation' }, version: 1 }
 */
export const UnlockRequestSchema = z.strictObject({
  requestId: UnlockRequestIdSchema,
  requestor: z.string().min(1),
  reason: z.string(),
  targetMode: UnlockTargetModeSchema,
  status: UnlockStatusSchema,
  createdAt: IsoTimestampSchema,
  expiresAt: IsoTimestampSchema,
  /** M of M-of-N, fixed when the request is made (a config change does not move a request's goal posts). */
  approvalsRequired: z.number().int().min(1),
  approvals: z.array(UnlockApprovalSchema),
  halt: HaltRefSchema,
  /** The last precondition check (set once approvals are complete). */
  preconditions: PreconditionReportSchema.optional(),
  /** Why it ended, for EXPIRED / REFUSED / CANCELLED. */
  outcome: z.strictObject({ code: z.string(), message: z.string(), at: IsoTimestampSchema }).optional(),
  /** Set on EXECUTED: the trading state written. */
  executed: z.strictObject({ at: IsoTimestampSchema, tradingStateVersion: z.number().int().nonnegative(), mode: UnlockTargetModeSchema }).optional(),
  taskToken: z.string().min(1).optional(),
  version: z.number().int().nonnegative(),
});
export type UnlockRequest = z.infer<typeof UnlockRequestSchema>;

/**
 * Who may ask and who may approve, how many approvals, how long a request lives. Read from config
 * (`controls.unlock`) at the edge and passed in.
 * @example { approvalsRequired: 1, approverRoles: ['risk_manager'], requestorRoles: ['operator', 'risk_manager'], expiryMs: 1_800_000 }
 */
export const UnlockPolicySchema = z.strictObject({
  approvalsRequired: z.number().int().min(1),
  approverRoles: z.array(UserRoleSchema).min(1),
  requestorRoles: z.array(UserRoleSchema).min(1),
  expiryMs: z.number().int().positive(),
});
export type UnlockPolicy = z.infer<typeof UnlockPolicySchema>;

export const DEFAULT_UNLOCK_POLICY: UnlockPolicy = { approvalsRequired: 1, approverRoles: ['risk_manager'], requestorRoles: ['operator', 'risk_manager'], expiryMs: 30 * 60_000 };
