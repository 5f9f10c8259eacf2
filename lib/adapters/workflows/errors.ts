import { TradeOpsError } from '../../core/shared/errors.js';

/** A workflow that could not run or did not succeed; `code` is WORKFLOW.*. Shared by both runners. */
export class WorkflowError extends TradeOpsError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.name = 'WorkflowError';
  }
}
