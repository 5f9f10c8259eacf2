import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DIR } from '../../lib/config/load.js';
import { EVENT_CATALOG } from '../../lib/core/events/catalog.js';
import { toIbcTime } from '../../lib/infra/broker-service.js';
import { GatewayCommandQueue } from '../../lib/infra/command-queue.js';
import { SecureBucket } from '../../lib/infra/secure-bucket.js';
import { TradingEventBus } from '../../lib/infra/trading-event-bus.js';
import { windowEdges } from '../../lib/infra/key-metric-alarms.js';

const stack = (): Stack => new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });

describe('TradingEventBus.addConsumer', () => {
  it('routes the named catalog events to the function with retries and a dead-letter queue', () => {
    const s = stack();
    const bus = new TradingEventBus(s, 'Bus', { busName: 'tradeops-test', catalog: EVENT_CATALOG });
    const fn = new lambda.Function(s, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('export const handler = async () => {}') });

    bus.addConsumer('position-keeper', ['FillReport', 'PositionReport'], fn);

    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['tradeops.gateway'], 'detail-type': ['FillReport', 'PositionReport'] },
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 } })],
    });
    t.resourceCountIs('AWS::SQS::Queue', 1);
  });

  it('refuses a detail-type that is not in the catalog', () => {
    const s = stack();
    const bus = new TradingEventBus(s, 'Bus', { busName: 'tradeops-test', catalog: EVENT_CATALOG });
    const fn = new lambda.Function(s, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });

    expect(() => bus.addConsumer('typo', ['FillReported'], fn)).toThrow(/"FillReported" is not in the event catalog/);
  });
});

describe('props validation', () => {
  it('refuses an empty event catalog', () => {
    expect(() => new TradingEventBus(stack(), 'Bus', { busName: 'b', catalog: [] })).toThrow(/catalog is empty/);
  });

  it('refuses a queue name with the .fifo suffix', () => {
    expect(() => new GatewayCommandQueue(stack(), 'Q', { queueName: 'commands.fifo' })).toThrow(/invalid queue name/);
  });

  it('refuses a compliance retention that is not a whole number of years', () => {
    expect(() => new SecureBucket(stack(), 'B', { complianceRetentionYears: 0 })).toThrow(/complianceRetentionYears/);
  });

  it.each([
    ['23:45', '11:45 PM'],
    ['00:05', '12:05 AM'],
    ['12:00', '12:00 PM'],
  ])('turns %s into IBC AutoRestartTime %s', (hhmm, ibc) => {
    expect(toIbcTime(hhmm)).toBe(ibc);
  });
});

describe('bin/app.ts', () => {
  it('fails synth on a bad config, naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradeops-badcfg-'));
    writeFileSync(join(dir, 'prod.yaml'), readFileSync(join(DEFAULT_CONFIG_DIR, 'prod.yaml'), 'utf8').replace('drRegion: us-east-2', 'drRegion: us-east-1'));

    const run = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'bin/app.ts'], {
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ env: 'prod', configDir: dir }), CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'tradeops-cdkout-')) },
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/prod\.yaml: aws\.drRegion: must differ from primaryRegion/);
  });
});

describe('broker maintenance window edges', () => {
  it('opens and closes within a day, every day', () => {
    expect(windowEdges({ at: '23:45', durationMinutes: 10 })).toEqual({ open: '45 23 ? * * *', close: '55 23 ? * * *' });
  });

  it('moves the closing to the next day when the window runs past midnight', () => {
    expect(windowEdges({ at: '23:50', durationMinutes: 20 })).toEqual({ open: '50 23 ? * * *', close: '10 0 ? * * *' });
    expect(windowEdges({ at: '23:00', days: ['SAT', 'SUN'], durationMinutes: 120 })).toEqual({ open: '0 23 ? * SAT,SUN *', close: '0 1 ? * SUN,MON *' });
    expect(windowEdges({ at: '01:00', days: ['SUN'], durationMinutes: 120 })).toEqual({ open: '0 1 ? * SUN *', close: '0 3 ? * SUN *' });
  });
});
