import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeFrame, encodeHandshake, FramingError, InboundFrameReader, splitPayload, type InboundItem } from '../../../fargate/ib-sim/framing.js';

/** A client-side frame: fields joined by NUL, one final NUL, 4-byte length (socket.js:151-190). */
function clientFrame(fields: string[]): Buffer {
  return encodeFrame(fields);
}

function feed(reader: InboundFrameReader, bytes: Buffer, cuts: number[]): InboundItem[] {
  const items: InboundItem[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    items.push(...reader.push(bytes.subarray(at, cut)));
    at = cut;
  }
  return items;
}

describe('framing', () => {
  it('encodes every field NUL-terminated behind a big-endian length', () => {
    const frame = encodeFrame([193, '20250102 10:00:00 EST']);

    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    expect(frame.subarray(4).toString('utf8')).toBe('193\u000020250102 10:00:00 EST\u0000');
  });

  it('writes booleans as 1/0 and undefined as an empty field', () => {
    expect(splitPayload(encodeFrame([true, false, undefined, 'x']).subarray(4))).toEqual(['1', '0', '', 'x']);
  });

  it('parses the handshake bytes the client sends', () => {
    const bytes = Buffer.from('4150490000000009763130302e2e313933', 'hex');
    const reader = new InboundFrameReader();

    expect(reader.push(bytes)).toEqual([{ kind: 'handshake', minVersion: 100, maxVersion: 193, options: '' }]);
  });

  it('reassembles frames split at any byte and coalesced in one chunk', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'grapheme-ascii' }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(400), { maxLength: 8 }),
        (messages, cuts) => {
          const bytes = Buffer.concat([encodeHandshake(100, 193), ...messages.map(clientFrame)]);
          const items = feed(new InboundFrameReader(), bytes, cuts);
          expect(items[0]).toMatchObject({ kind: 'handshake', maxVersion: 193 });
          expect(items.slice(1)).toEqual(messages.map((fields) => ({ kind: 'message', fields })));
        },
      ),
    );
  });

  it('keeps an empty trailing field that the client sent', () => {
    const reader = new InboundFrameReader();
    const items = reader.push(Buffer.concat([encodeHandshake(100, 193), clientFrame(['71', '2', '7', ''])]));

    expect(items[1]).toEqual({ kind: 'message', fields: ['71', '2', '7', ''] });
  });

  it('refuses a stream that does not start with API\\0', () => {
    expect(() => new InboundFrameReader().push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(FramingError);
  });

  it('refuses a frame longer than 16 MiB', () => {
    const reader = new InboundFrameReader();
    reader.push(encodeHandshake(100, 193));
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(0x1000000, 0);

    expect(() => reader.push(huge)).toThrow(/exceeds/);
  });
});
