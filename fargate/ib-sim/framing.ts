/**
 * TWS wire framing (tws-protocol.md §1.1, §2).
 *
 * After the client's opening bytes `"API\0" + len + "v100..193"`, every message in both directions
 * is a 4-byte big-endian length followed by UTF-8 fields, each terminated by NUL (the last one
 * too: the client glues an unterminated tail onto the next message).
 */

export type WireField = string | number | boolean | bigint | null | undefined;

/** Same guard as the client (socket.js:24): larger frames mean a corrupt stream. */
export const MAX_FRAME_BYTES = 0xffffff;

const API_PREFIX = Buffer.from('API\0', 'latin1');

export class FramingError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'FramingError';
    this.code = code;
  }
}

/** Encodes one server → client message: every field NUL-terminated, length-prefixed. */
export function encodeFrame(fields: ReadonlyArray<WireField>): Buffer {
  const text = fields.map(fieldText).join('\0') + '\0';
  const payload = Buffer.from(text, 'utf8');
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  payload.copy(frame, 4);
  return frame;
}

function fieldText(v: WireField): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = String(v);
  if (s.includes('\0')) throw new FramingError('FRAMING.NUL_IN_FIELD', 'a field may not contain NUL');
  return s;
}

/** Splits one payload into fields. The client appends a final NUL, which yields no extra field. */
export function splitPayload(payload: Buffer): string[] {
  const text = payload.toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export type InboundItem =
  | { kind: 'handshake'; minVersion: number; maxVersion: number; options: string }
  | { kind: 'message'; fields: string[] };

/**
 * Incremental reader for one client connection. Feed it TCP chunks as they come (split or
 * coalesced); it returns the complete items so far and keeps the remainder.
 */
export class InboundFrameReader {
  private buf: Buffer = Buffer.alloc(0);
  private handshakeDone = false;

  push(chunk: Buffer): InboundItem[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: InboundItem[] = [];
    for (;;) {
      if (!this.handshakeDone) {
        const hs = this.readHandshake();
        if (!hs) break;
        out.push(hs);
        this.handshakeDone = true;
        continue;
      }
      const payload = this.readFrame();
      if (!payload) break;
      out.push({ kind: 'message', fields: splitPayload(payload) });
    }
    return out;
  }

  private readHandshake(): InboundItem | undefined {
    const need = Math.min(this.buf.length, API_PREFIX.length);
    if (!this.buf.subarray(0, need).equals(API_PREFIX.subarray(0, need))) {
      throw new FramingError('FRAMING.BAD_PREFIX', 'connection did not start with "API\\0"');
    }
    if (this.buf.length < API_PREFIX.length + 4) return undefined;
    const len = this.buf.readUInt32BE(API_PREFIX.length);
    if (len > 1024) throw new FramingError('FRAMING.BAD_HANDSHAKE', `handshake length ${len} is implausible`);
    const end = API_PREFIX.length + 4 + len;
    if (this.buf.length < end) return undefined;
    const text = this.buf.subarray(API_PREFIX.length + 4, end).toString('latin1');
    this.buf = this.buf.subarray(end);
    const m = /^v(\d+)(?:\.\.(\d+))?(?:\s+(.*))?$/.exec(text.replace(/\0+$/, ''));
    if (!m) throw new FramingError('FRAMING.BAD_HANDSHAKE', `unreadable version range "${text}"`);
    const minVersion = Number(m[1]);
    return { kind: 'handshake', minVersion, maxVersion: m[2] === undefined ? minVersion : Number(m[2]), options: m[3] ?? '' };
  }

  private readFrame(): Buffer | undefined {
    if (this.buf.length < 4) return undefined;
    const len = this.buf.readUInt32BE(0);
    if (len > MAX_FRAME_BYTES) throw new FramingError('FRAMING.OVERSIZE', `frame of ${len} bytes exceeds the limit`);
    if (this.buf.length < 4 + len) return undefined;
    const payload = this.buf.subarray(4, 4 + len);
    this.buf = this.buf.subarray(4 + len);
    return payload;
  }
}

/** Client-side opening bytes; used by tests that speak raw TCP. */
export function encodeHandshake(minVersion: number, maxVersion: number): Buffer {
  const text = Buffer.from(`v${minVersion}..${maxVersion}`, 'latin1');
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(text.length, 0);
  return Buffer.concat([API_PREFIX, len, text]);
}
