import type { OrderCommand } from '../core/orders/commands.js';

/**
 * The gateway's command queue (SQS FIFO in AWS; locally an in-process queue with the same
 * FIFO-per-group and deduplication semantics). See `commandRouting` for group and dedup ids.
 */
export interface CommandQueue {
  send(command: OrderCommand): Promise<void>;
}

/** The consuming side, owned by the bridge. `stop` waits for the in-flight command. */
export interface CommandConsumer {
  start(handler: (command: OrderCommand) => Promise<void>): void;
  stop(): Promise<void>;
}
