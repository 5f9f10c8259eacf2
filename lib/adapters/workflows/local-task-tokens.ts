import type { TaskTokens } from '../../ports/task-tokens.js';

/** The error a failed token rejects with: its `name` is the ASL error a `Catch` matches. */
export class TaskFailedError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

interface Waiter {
  resolve: (output: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * The local twin of Step Functions' callback tokens (`waitForTaskToken`): a Task state bound to a
 * callback waits on `wait(token)`, and `succeed` / `fail` — what SendTaskSuccess / SendTaskFailure
 * do in AWS — settle it. A token nobody waits for any more (completed, or its state timed out)
 * answers `false`, as AWS answers TaskTimedOut / InvalidToken.
 * @example
 * const out = tokens.wait('local:REQ-1#1'); … await tokens.succeed('local:REQ-1#1', { status: 'APPROVED' });
 */
export class LocalTaskTokens implements TaskTokens {
  private readonly waiting = new Map<string, Waiter>();

  /** Registers a waiter for `token`; the promise settles on `succeed` / `fail` / `release`. */
  wait(token: string): Promise<unknown> {
    if (this.waiting.has(token)) throw new Error(`task token ${token} is already waited for`);
    return new Promise((resolve, reject) => this.waiting.set(token, { resolve, reject }));
  }

  /** Stops waiting for `token` without settling it (its state ended another way). */
  forget(token: string): void {
    this.waiting.delete(token);
  }

  async succeed(token: string, output: Record<string, unknown>): Promise<boolean> {
    const w = this.waiting.get(token);
    if (w === undefined) return false;
    this.waiting.delete(token);
    w.resolve(structuredClone(output));
    return true;
  }

  async fail(token: string, error: { error: string; cause: string }): Promise<boolean> {
    const w = this.waiting.get(token);
    if (w === undefined) return false;
    this.waiting.delete(token);
    w.reject(new TaskFailedError(error.error, error.cause));
    return true;
  }

  /** Tokens waited for now (tests, shutdown). */
  get pending(): number {
    return this.waiting.size;
  }

  /** Fails every waiter (local shutdown): no workflow is left hanging on a promise. */
  releaseAll(cause: string): void {
    for (const [token, w] of this.waiting) {
      this.waiting.delete(token);
      w.reject(new TaskFailedError('States.TaskFailed', cause));
    }
  }
}
