/**
 * Starts a long-running (STANDARD) catalogued workflow and returns at once: Step Functions
 * StartExecution in AWS; the same ASL in the local interpreter, in the background, on one machine.
 * The caller follows the run through what its Task states write (the lifecycle record), never by
 * holding a request open. One execution per `executionName`: a repeated start of a running one
 * returns it (StartExecution is idempotent for the same name and input), so a retried request
 * cannot start two.
 * @example
 * const { executionId } = await starter.start('shutdown', { drainId, pollSeconds: 5 }, { executionName: drainId });
 */
export interface WorkflowStarter {
  start(workflow: string, input: Record<string, unknown>, options: { executionName: string }): Promise<{ executionId: string }>;
}
