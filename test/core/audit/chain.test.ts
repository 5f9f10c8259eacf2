import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { canonicalJson, hashEntry, nextEntry, verifyChain } from '../../../lib/core/audit/chain.js';
import { AuditEntrySchema, GENESIS_HASH, type AuditEntry, type AuditRecord } from '../../../lib/core/audit/audit-entry.js';
import { ValidationError } from '../../../lib/core/shared/errors.js';

const T0 = Date.parse('2026-11-26T14:30:00.000Z');

const recordArb: fc.Arbitrary<AuditRecord> = fc.record(
  {
    actor: fc.constantFrom('system', 'john.doe', 'jane.smith', 'risk-agent'),
    action: fc.constantFrom('TRADING_STATE_CHANGED', 'ORDER_SUBMITTED', 'ORDER_FILLED', 'CONFIG_LOADED'),
    subject: fc.string({ minLength: 1, maxLength: 12 }),
    data: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null))),
    correlationId: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }),
  },
  { requiredKeys: ['actor', 'action', 'subject', 'data'] },
);

function buildChain(records: readonly AuditRecord[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  records.forEach((r, i) => out.push(nextEntry(out.at(-1), r, new Date(T0 + i * 1000))));
  return out;
}

const chainArb = (minLength: number) => fc.array(recordArb, { minLength, maxLength: 12 }).map(buildChain);

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 'x' }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":"x","z":1}]},"b":1}');
  });

  it('ignores key insertion order and undefined members', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
      const reversed = Object.fromEntries(Object.entries(o).reverse());
      return canonicalJson(o) === canonicalJson(reversed) && canonicalJson({ ...o, ['\u0000u']: undefined }) === canonicalJson(o);
    }));
  });

  it('parses back to the same value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => canonicalJson(JSON.parse(canonicalJson(v))) === canonicalJson(v)));
  });

  it.each([NaN, Infinity, 1n, () => 1, new Map()])('refuses %s', (v) => {
    expect(() => canonicalJson({ v })).toThrow(ValidationError);
  });
});

describe('nextEntry', () => {
  it('starts after the genesis hash and links each entry to the previous one', () => {
    const [a, b] = buildChain([
      { actor: 'system', action: 'SYSTEM_STARTED', subject: 'system', data: {} },
      { actor: 'john.doe', action: 'TRADING_STATE_CHANGED', subject: 'trading-state', data: { from: 'ACTIVE', to: 'HALTED' }, correlationId: 'c-1' },
    ]) as [AuditEntry, AuditEntry];
    expect(a).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, at: '2026-11-26T14:30:00.000Z' });
    expect(b).toMatchObject({ seq: 2, prevHash: a.hash, correlationId: 'c-1' });
    expect(AuditEntrySchema.parse(b)).toEqual(b);
  });

  it('hashes the canonical JSON of every field but the hash, with SHA-256', () => {
    const e = nextEntry(undefined, { actor: 'system', action: 'SYSTEM_STARTED', subject: 'system', data: { z: 1, a: 2 } }, '2026-11-26T14:30:00.000Z');
    const expected = createHash('sha256')
      .update(`{"action":"SYSTEM_STARTED","actor":"system","at":"2026-11-26T14:30:00.000Z","data":{"a":2,"z":1},"prevHash":"${GENESIS_HASH}","seq":1,"subject":"system"}`)
      .digest('hex');
    expect(e.hash).toBe(expected);
    const { hash: _hash, ...body } = e;
    expect(hashEntry(body)).toBe(expected);
  });

  it('keeps the time of a record that carries one', () => {
    expect(nextEntry(undefined, { actor: 'a', action: 'X', subject: 's', data: {}, at: '2026-01-01T00:00:00.000Z' }, new Date(T0)).at).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('verifyChain', () => {
  it('accepts any chain it built, with its head', () => {
    fc.assert(fc.property(chainArb(0), (chain) => {
      const v = verifyChain(chain, { expectedHead: chain.at(-1)?.hash ?? GENESIS_HASH });
      return v.ok && v.count === chain.length && v.headHash === (chain.at(-1)?.hash ?? GENESIS_HASH);
    }));
  });

  it('verifies a window against the entry before it', () => {
    const chain = buildChain(Array.from({ length: 6 }, (_, i) => ({ actor: 'a', action: 'X', subject: `s${i}`, data: {} })));
    const before = chain[2] as AuditEntry;
    expect(verifyChain(chain.slice(3), { after: { seq: before.seq, hash: before.hash } })).toMatchObject({ ok: true, count: 3 });
    expect(verifyChain(chain.slice(3))).toMatchObject({ ok: false, problem: 'SEQ_GAP', firstBadSeq: 1 });
  });

  it('names the problem and the first bad seq', () => {
    const chain = buildChain(Array.from({ length: 5 }, (_, i) => ({ actor: 'a', action: 'X', subject: `s${i}`, data: { i } })));
    const [e1, e2, e3, e4, e5] = chain as [AuditEntry, AuditEntry, AuditEntry, AuditEntry, AuditEntry];
    expect(verifyChain([e1, e2, { ...e3, actor: 'mallory' }, e4, e5])).toMatchObject({ ok: false, problem: 'HASH_MISMATCH', firstBadSeq: 3 });
    const forged = { ...e3, data: { i: 99 } };
    const rehashed = { ...forged, hash: hashEntry((({ hash: _h, ...b }) => b)(forged)) };
    expect(verifyChain([e1, e2, rehashed, e4, e5])).toMatchObject({ ok: false, problem: 'BROKEN_LINK', firstBadSeq: 4 });
    expect(verifyChain([e1, e2, e4, e5])).toMatchObject({ ok: false, problem: 'SEQ_GAP', firstBadSeq: 3 });
    expect(verifyChain([e1, e3, e2, e4, e5])).toMatchObject({ ok: false, problem: 'REORDERED', firstBadSeq: 2 });
    expect(verifyChain([e1, e2, e3, e4], { expectedHead: e5.hash })).toMatchObject({ ok: false, problem: 'HEAD_MISMATCH', firstBadSeq: 5 });
    expect(verifyChain([e1, e2, e3, e4])).toMatchObject({ ok: true, count: 4 });
  });

  type Tamper = (c: AuditEntry[]) => AuditEntry[];
  const FIELDS = ['seq', 'at', 'actor', 'action', 'subject', 'data', 'correlationId', 'prevHash', 'hash'] as const;
  const mutation = (i: number, field: (typeof FIELDS)[number], rehash: boolean): Tamper => (c) => {
    const e = c[i] as AuditEntry;
    const changed: Record<string, unknown> = { ...e };
    switch (field) {
      case 'seq': changed.seq = e.seq + 1; break;
      case 'at': changed.at = new Date(Date.parse(e.at) + 1).toISOString(); break;
      case 'data': changed.data = { ...e.data, tampered: true }; break;
      case 'correlationId': changed.correlationId = `${e.correlationId ?? ''}x`; break;
      case 'prevHash':
      case 'hash': changed[field] = (e[field].startsWith('0') ? '1' : '0') + e[field].slice(1); break;
      default: changed[field] = `${e[field]}X`;
    }
    const out = changed as AuditEntry;
    if (rehash && field !== 'hash') {
      const { hash: _h, ...body } = out;
      out.hash = hashEntry(body);
    }
    return c.map((x, j) => (j === i ? out : x));
  };

  const tamperArb = (n: number): fc.Arbitrary<Tamper> =>
    fc.oneof(
      fc.tuple(fc.nat(n - 1), fc.constantFrom(...FIELDS), fc.boolean()).map(([i, f, r]) => mutation(i, f, r)),
      fc.nat(n - 1).map((i): Tamper => (c) => c.filter((_, j) => j !== i)),
      fc.tuple(fc.nat(n - 1), fc.nat(n - 1)).filter(([i, j]) => i !== j).map(([i, j]): Tamper => (c) => c.map((x, k) => (k === i ? c[j] : k === j ? c[i] : x) as AuditEntry)),
      fc.tuple(fc.nat(n), recordArb).map(([i, r]): Tamper => (c) => {
        const prev = i === 0 ? undefined : c[i - 1];
        return [...c.slice(0, i), nextEntry(prev, r, new Date(T0)), ...c.slice(i)];
      }),
      fc.nat(n - 1).map((i): Tamper => (c) => [...c.slice(0, i + 1), c[i] as AuditEntry, ...c.slice(i + 1)]),
      fc.nat(n - 1).map((k): Tamper => (c) => c.slice(0, k)),
    );

  it('detects any single change, removal, swap, insertion, duplication or truncation', () => {
    const caseArb = chainArb(2).chain((chain) => fc.tuple(fc.constant(chain), tamperArb(chain.length)));
    fc.assert(fc.property(caseArb, ([chain, tamper]) => {
      const head = (chain.at(-1) as AuditEntry).hash;
      const tampered = tamper(chain.map((e) => ({ ...e })));
      const same = JSON.stringify(tampered) === JSON.stringify(chain);
      fc.pre(!same);
      return verifyChain(tampered, { expectedHead: head }).ok === false;
    }), { numRuns: 300 });
  });
});
