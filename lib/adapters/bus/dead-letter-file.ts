import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DeadLetter } from './in-process-bus.js';

/**
 * The local bus's dead-letter queue on disk: one JSON line per dead letter, appended, never
 * rewritten — it survives a restart (the bus keeps only the last few in memory) and reads with
 * `jq`, as the SQS DLQ in AWS keeps its messages for 14 days. Lines are written one at a time so
 * concurrent dead letters never interleave.
 * @example const dlq = new DeadLetterFile(join(dataDir, 'bus', 'dead-letters.jsonl')); await dlq.append(letter);
 */
export class DeadLetterFile {
  private chain: Promise<void> = Promise.resolve();
  private ready: Promise<unknown> | undefined;

  constructor(readonly file: string) {}

  append(letter: DeadLetter): Promise<void> {
    this.ready ??= mkdir(dirname(this.file), { recursive: true });
    const line = `${JSON.stringify(letter)}\n`;
    const next = this.chain.then(async () => {
      await this.ready;
      await appendFile(this.file, line, 'utf8');
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
