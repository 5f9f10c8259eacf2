import { describe, expect, it } from 'vitest';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { SfnTaskTokens } from '../../../lib/adapters/workflows/sfn-task-tokens.js';

const failingWith = (name: string) => ({ send: async () => Promise.reject(Object.assign(new Error(name), { name })) });

describe('SfnTaskTokens', () => {
  it('sends SendTaskSuccess with the output as JSON', async () => {
    const sent: unknown[] = [];
    const tokens = new SfnTaskTokens({ client: { send: async (c: unknown) => (sent.push(c), {}) } as never });

    expect(await tokens.succeed('tok-1', { status: 'APPROVED' })).toBe(true);
    expect(sent[0]).toBeInstanceOf(SendTaskSuccessCommand);
    expect((sent[0] as SendTaskSuccessCommand).input).toEqual({ taskToken: 'tok-1', output: '{"status":"APPROVED"}' });
  });

  it('answers false for a token nobody waits for, and throws WORKFLOW.CALLBACK_FAILED otherwise', async () => {
    expect(await new SfnTaskTokens({ client: failingWith('TaskTimedOut') as never }).succeed('t', {})).toBe(false);
    await expect(new SfnTaskTokens({ client: failingWith('AccessDeniedException') as never }).succeed('t', {})).rejects.toMatchObject({ code: 'WORKFLOW.CALLBACK_FAILED' });
  });
});
