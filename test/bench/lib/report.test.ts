import { describe, expect, it } from 'vitest';
import { compareWithPrevious, fmt, toMarkdown, type BenchReport } from '../../../bench/lib/report.js';
import { summarize } from '../../../bench/lib/stats.js';

const machine = { cpuModel: 'Test CPU', cores: 2, memoryMb: 4096, node: 'v22.0.0', os: 'linux', arch: 'x64', date: '2026-11-26T00:00:00.000Z', git: { commit: 'a'.repeat(40), branch: 'main', dirty: false } };

function aReport(p50Scale: number, quick = false): BenchReport {
  return {
    schema: 'tradeops-bench/1',
    machine,
    options: { quick, only: [] },
    totalMs: 1000,
    results: [{ name: 'b', description: 'd', status: 'ok', durationMs: 10, distributions: [summarize('op', [1, 2, 3].map((x) => x * p50Scale), 'ms')], figures: [{ name: 'lost', value: 0, goal: '0', met: true }], ratios: [], notes: ['n'] }],
  };
}

describe('compareWithPrevious', () => {
  it('adds the p50 and p99 ratio to the previous run of the same distribution', () => {
    const r = compareWithPrevious(aReport(2), aReport(1));
    expect(r.results[0]!.vsPrevious).toEqual([{ name: 'op', p50Ratio: 2, p99Ratio: 2 }]);
    expect(r.previous?.commit).toBe('a'.repeat(40));
  });

  it('does not compare a quick run with a full one', () => {
    const r = compareWithPrevious(aReport(2, true), aReport(1));
    expect(r.results[0]!.vsPrevious).toBeUndefined();
    expect(r.previous).toBeUndefined();
  });
});

describe('toMarkdown', () => {
  it('names the machine and shows distributions, goals and the comparison', () => {
    const md = toMarkdown(compareWithPrevious(aReport(2), aReport(1)));
    expect(md).toContain('Test CPU, 2 cores');
    expect(md).toContain('| b | op | p50 4.00 ms, p99 6.00 ms (n=3) |');
    expect(md).toContain('| b | lost | 0 — goal 0 ✅ |');
    expect(md).toMatch(/\| op \| ms \| 3 \| 4\.00 \| 4\.00 \| 6\.00 \| 6\.00 \| 6\.00 \| 1\.50 \| 2\.00 \|/);
  });
});

describe('fmt', () => {
  it('keeps about three significant digits', () => {
    expect([fmt(0.01234), fmt(1.234), fmt(12.34), fmt(1234.5)]).toEqual(['0.012', '1.23', '12.3', '1,235']);
  });
});
