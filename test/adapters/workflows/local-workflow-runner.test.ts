import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalWorkflowRunner, loadDefinition, WorkflowError } from '../../../lib/adapters/workflows/local-workflow-runner.js';
import { WORKFLOWS } from '../../../lib/catalog/workflows.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const verdict = (approved: boolean, reasons: Array<{ code: string; message: string }> = []) => async () => ({ approved, reasons });

describe('the pre-trade workflow (statemachines/pretrade.asl.json) in the local interpreter', () => {
  it('approves when risk and compliance both pass, and runs them both', async () => {
    const seen: string[] = [];
    const runner = new LocalWorkflowRunner({
      root: ROOT,
      handlers: {
        RiskCheck: async (i) => (seen.push(`risk:${(i as { clientOrderId: string }).clientOrderId}`), { approved: true, reasons: [] }),
        ComplianceCheck: async (i) => (seen.push(`compliance:${(i as { clientOrderId: string }).clientOrderId}`), { approved: true, reasons: [] }),
      },
    });
    const out = await runner.runSync('pretrade', { clientOrderId: 'CO-1' });
    expect(out).toEqual({ decision: 'APPROVED', clientOrderId: 'CO-1', checks: { risk: { approved: true, reasons: [] }, compliance: { approved: true, reasons: [] } } });
    expect(seen.sort()).toEqual(['compliance:CO-1', 'risk:CO-1']);
  });

  it.each([
    ['risk', false, true],
    ['compliance', true, false],
    ['both', false, false],
  ])('denies when %s denies, keeping every reason', async (_, risk, compliance) => {
    const runner = new LocalWorkflowRunner({
      root: ROOT,
      handlers: { RiskCheck: verdict(risk, risk ? [] : [{ code: 'RISK.MAX_ORDER_QUANTITY', message: 'too big' }]), ComplianceCheck: verdict(compliance, compliance ? [] : [{ code: 'COMPLIANCE.RESTRICTED_INSTRUMENT', message: 'restricted' }]) },
    });
    const out = (await runner.runSync('pretrade', { clientOrderId: 'CO-2' })) as { decision: string; checks: Record<string, { reasons: unknown[] }> };
    expect(out.decision).toBe('DENIED');
    expect(out.checks['risk']?.reasons.length ?? 0).toBe(risk ? 0 : 1);
    expect(out.checks['compliance']?.reasons.length ?? 0).toBe(compliance ? 0 : 1);
  });

  it('fails closed: a check that throws denies the order with the failure', async () => {
    const runner = new LocalWorkflowRunner({
      root: ROOT,
      handlers: {
        RiskCheck: async () => {
          throw new Error('state store unavailable');
        },
        ComplianceCheck: verdict(true),
      },
    });
    const out = (await runner.runSync('pretrade', { clientOrderId: 'CO-3' })) as { decision: string; failure: { Error: string; Cause: string } };
    expect(out.decision).toBe('DENIED');
    expect(JSON.stringify(out.failure)).toContain('state store unavailable');
  });

  it('refuses to run without a handler for every task', async () => {
    const runner = new LocalWorkflowRunner({ root: ROOT, handlers: { RiskCheck: verdict(true) } });
    await expect(runner.runSync('pretrade', { clientOrderId: 'CO-4' })).rejects.toMatchObject({ code: 'WORKFLOW.NO_HANDLER' });
  });
});

describe('LocalWorkflowRunner.prepare', () => {
  it('validates the named definitions before any run, so a broken one fails at start and not on the first order', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tradeops-wf-'));
    mkdirSync(join(root, 'statemachines'));
    writeFileSync(join(root, 'statemachines', 'pretrade.asl.json'), JSON.stringify({ StartAt: 'Missing', States: { Done: { Type: 'Succeed' } } }));
    const runner = new LocalWorkflowRunner({ root, handlers: {} });
    await expect(runner.prepare(['pretrade'])).rejects.toThrow();
    await expect(runner.prepare(['no-such-workflow'])).rejects.toThrow(/no-such-workflow/);
    await new LocalWorkflowRunner({ root: ROOT, handlers: {} }).prepare(WORKFLOWS.map((w) => w.name));
  });
});

describe('loadDefinition', () => {
  it('loads every catalogued workflow with its task placeholders resolved', () => {
    for (const spec of WORKFLOWS) expect(JSON.stringify(loadDefinition(spec, ROOT))).not.toContain('${');
  });

  it('refuses JSONata and Assign, which the local interpreter silently ignores', () => {
    const root = mkdtempSync(join(tmpdir(), 'asl-'));
    mkdirSync(join(root, 'statemachines'));
    writeFileSync(join(root, 'statemachines/x.asl.json'), JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Assign: { a: 1 }, End: true } } }));
    expect(() => loadDefinition({ name: 'x', file: 'statemachines/x.asl.json', type: 'EXPRESS', tasks: [] }, root)).toThrow(WorkflowError);
  });
});

describe('SfnWorkflowRunner', () => {
  it('returns the parsed output of a succeeded execution and maps failures to codes', async () => {
    const { SfnWorkflowRunner } = await import('../../../lib/adapters/workflows/sfn-workflow-runner.js');
    const sent: unknown[] = [];
    const replies = [{ status: 'SUCCEEDED', output: '{"decision":"APPROVED"}' }, { status: 'FAILED', error: 'States.TaskFailed', cause: 'boom' }, { status: 'TIMED_OUT' }];
    const client = { send: async (cmd: { input: unknown }) => (sent.push(cmd.input), replies.shift()) } as never;
    const runner = new SfnWorkflowRunner({ client, stateMachineArns: { pretrade: 'arn:aws:states:us-east-1:1:stateMachine:p' } });
    expect(await runner.runSync('pretrade', { clientOrderId: 'CO-1' })).toEqual({ decision: 'APPROVED' });
    expect(sent[0]).toMatchObject({ stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:p', input: '{"clientOrderId":"CO-1"}' });
    await expect(runner.runSync('pretrade', {})).rejects.toMatchObject({ code: 'WORKFLOW.FAILED' });
    await expect(runner.runSync('pretrade', {})).rejects.toMatchObject({ code: 'WORKFLOW.TIMEOUT' });
    await expect(runner.runSync('nope', {})).rejects.toMatchObject({ code: 'WORKFLOW.NOT_DEPLOYED' });
  });
});
