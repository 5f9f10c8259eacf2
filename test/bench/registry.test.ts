import { describe, expect, it } from 'vitest';
import { BENCHMARKS, selectBenchmarks } from '../../bench/registry.js';

describe('benchmark registry', () => {
  it('has unique, --only-friendly names', () => {
    const names = BENCHMARKS.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('selects the named benchmarks in registry order', () => {
    expect(selectBenchmarks(['pattern-match', 'local-start']).map((b) => b.name)).toEqual(['local-start', 'pattern-match']);
    expect(selectBenchmarks([])).toHaveLength(BENCHMARKS.length);
  });

  it('refuses unknown names and lists the known ones', () => {
    expect(() => selectBenchmarks(['nope'])).toThrow(/unknown benchmark nope; known: local-start/);
  });
});
