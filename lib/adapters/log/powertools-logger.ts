import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../../ports/logger.js';

/** The Logger port on Powertools (Lambda): same structured JSON, plus the Lambda context keys. */
export class PowertoolsLoggerAdapter implements Logger {
  constructor(private readonly inner: PowertoolsLogger) {}
  debug(msg: string, fields: Record<string, unknown> = {}): void {
    this.inner.debug(msg, fields);
  }
  info(msg: string, fields: Record<string, unknown> = {}): void {
    this.inner.info(msg, fields);
  }
  warn(msg: string, fields: Record<string, unknown> = {}): void {
    this.inner.warn(msg, fields);
  }
  error(msg: string, fields: Record<string, unknown> = {}): void {
    this.inner.error(msg, fields);
  }
  child(fields: Record<string, unknown>): Logger {
    return new PowertoolsLoggerAdapter(this.inner.createChild({ persistentKeys: fields }));
  }
}
