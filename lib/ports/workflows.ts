/**
 * Runs a catalogued workflow to completion and returns its output (Step Functions Express
 * StartSyncExecution in AWS; the same ASL in a local interpreter on one machine).
 * A failed execution rejects with a `WorkflowError` carrying the ASL error name.
 * @example
 * const out = await workflows.runSync('pretrade', { clientOrderId: 'CO-1' });
 */
export interface WorkflowRunner {
  runSync(workflow: string, input: Record<string, unknown>, options?: { executionName?: string }): Promise<unknown>;
}

/** The code behind one Task state: JSON in, JSON out, as a Lambda would see it. */
export type WorkflowTaskHandler = (input: unknown) => Promise<unknown>;
