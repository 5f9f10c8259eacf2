import { describe, expect, it } from 'vitest';
import type { PutEventsCommand, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../../../lib/adapters/bus/eventbridge-publisher.js';
import { anEvent } from './envelopes.js';

/** A hand-written EventBridge stand-in: records each PutEvents call and refuses chosen entries. */
function fakeClient(refuse: (detailType: string, call: number) => boolean) {
  const calls: Array<Array<{ DetailType?: string; Detail?: string; Source?: string; EventBusName?: string }>> = [];
  return {
    calls,
    client: {
      send: async (cmd: PutEventsCommand) => {
        const entries = cmd.input.Entries ?? [];
        calls.push(entries);
        const Entries: PutEventsResultEntry[] = entries.map((e, i) => (refuse(e.DetailType ?? '', calls.length) ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `aws-${calls.length}-${i}` }));
        return { FailedEntryCount: Entries.filter((e) => e.ErrorCode).length, Entries };
      },
    } as never,
  };
}

describe('EventBridgePublisher', () => {
  it('sends envelopes in batches of 10 with the envelope as Detail', async () => {
    const fake = fakeClient(() => false);
    const pub = new EventBridgePublisher({ client: fake.client, eventBusName: 'tradeops-test' });
    const events = Array.from({ length: 23 }, (_, i) => anEvent(`T${i}`));

    await pub.publish(events);

    expect(fake.calls.map((c) => c.length)).toEqual([10, 10, 3]);
    const first = fake.calls[0]![0]!;
    expect(first).toMatchObject({ EventBusName: 'tradeops-test', Source: 'tradeops.gateway', DetailType: 'T0' });
    expect(JSON.parse(first.Detail!)).toEqual(events[0]);
  });

  it('retries only the refused entries', async () => {
    const fake = fakeClient((t, call) => t === 'B' && call === 1);
    const pub = new EventBridgePublisher({ client: fake.client, eventBusName: 'bus', backoffMs: 1 });

    await pub.publish([anEvent('A'), anEvent('B'), anEvent('C')]);

    expect(fake.calls.map((c) => c.map((e) => e.DetailType))).toEqual([['A', 'B', 'C'], ['B']]);
  });

  it('throws BUS.PUBLISH_FAILED naming the entries still refused', async () => {
    const fake = fakeClient((t) => t === 'B');
    const pub = new EventBridgePublisher({ client: fake.client, eventBusName: 'bus', backoffMs: 1, maxAttempts: 3 });
    const b = anEvent('B');

    const p = pub.publish([anEvent('A'), b]);

    await expect(p).rejects.toMatchObject({ code: 'BUS.PUBLISH_FAILED', details: { failures: [{ eventId: b.eventId, errorCode: 'InternalFailure' }] } });
    expect(fake.calls).toHaveLength(3);
  });

  it('refuses an event larger than 256 KiB before calling AWS', async () => {
    const fake = fakeClient(() => false);
    const pub = new EventBridgePublisher({ client: fake.client, eventBusName: 'bus' });

    await expect(pub.publish([anEvent('Big', { blob: 'x'.repeat(300 * 1024) })])).rejects.toMatchObject({ code: 'BUS.EVENT_TOO_LARGE' });
    expect(fake.calls).toHaveLength(0);
  });
});
