import type { aws_logs as logs } from 'aws-cdk-lib';
import { LOG_RETENTION_DAYS } from '../config/schema.js';

/**
 * Config days → CloudWatch's enum. The config schema already restricts days to the accepted
 * periods; this re-checks so a construct used without that schema fails at synth, not deploy.
 */
export function logRetention(days: number): logs.RetentionDays {
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) throw new Error(`log retention of ${days} days is not one CloudWatch accepts`);
  return days as logs.RetentionDays;
}
