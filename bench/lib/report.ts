import type { MachineInfo } from './machine.js';
import { machineLine } from './machine.js';
import type { BenchResult } from './runner.js';
import type { Distribution } from './stats.js';

/** `bench/results/latest.json`: the whole run, machine included. */
export interface BenchReport {
  schema: 'tradeops-bench/1';
  machine: MachineInfo;
  options: { quick: boolean; only: string[] };
  totalMs: number;
  /** The run compared against (the previous latest.json), if any. */
  previous?: { commit: string; date: string; cpuModel: string };
  results: Array<BenchResult & { vsPrevious?: Comparison[] }>;
}

/** Current / previous p50 and p99 of a distribution with the same benchmark, name and unit. */
export interface Comparison {
  name: string;
  p50Ratio: number;
  p99Ratio: number;
}

/**
 * Adds the ratio to the previous run for every distribution that exists in both; only between runs
 * of the same mode (quick vs full iterations would compare different n).
 */
export function compareWithPrevious(report: BenchReport, previous: BenchReport | undefined): BenchReport {
  if (previous === undefined || previous.schema !== 'tradeops-bench/1' || previous.options.quick !== report.options.quick) return report;
  const byKey = new Map<string, Distribution>();
  for (const r of previous.results) for (const d of r.distributions) byKey.set(`${r.name}\u0000${d.name}\u0000${d.unit}`, d);
  return {
    ...report,
    previous: { commit: previous.machine.git.commit, date: previous.machine.date, cpuModel: previous.machine.cpuModel },
    results: report.results.map((r) => {
      const vs = r.distributions.flatMap((d) => {
        const p = byKey.get(`${r.name}\u0000${d.name}\u0000${d.unit}`);
        return p && p.p50 > 0 && p.p99 > 0 ? [{ name: d.name, p50Ratio: d.p50 / p.p50, p99Ratio: d.p99 / p.p99 }] : [];
      });
      return vs.length > 0 ? { ...r, vsPrevious: vs } : r;
    }),
  };
}

/** Figures with 3 significant-ish digits: 0.0123, 1.23, 12.3, 123. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  return x.toPrecision(2);
}

const value = (v: number | string | boolean): string => (typeof v === 'number' ? fmt(v) : String(v));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The readable report (`latest.md`, also printed). */
export function toMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines: string[] = [];
  lines.push('# TradeOps benchmarks', '');
  lines.push(`Produced by \`npm run bench${report.options.quick ? ' -- --quick' : ''}${report.options.only.length > 0 ? ` -- --only ${report.options.only.join(',')}` : ''}\` in ${fmt(report.totalMs / 1000)} s.`, '');
  lines.push(`**Machine:** ${machineLine(m)}`, '');
  if (report.previous) lines.push(`Compared with the previous run: ${report.previous.commit.slice(0, 10)} on ${report.previous.date} (${report.previous.cpuModel}); "× prev" = this p50 / previous p50.`, '');

  lines.push('## Headlines', '', '| benchmark | measure | value |', '|---|---|---|');
  for (const r of report.results) {
    if (r.status !== 'ok') {
      lines.push(`| ${r.name} | ${r.status} | ${cell(r.status === 'failed' ? (r.error ?? '') : (r.skipped ?? ''))} |`);
      continue;
    }
    const heads = r.headlines === undefined ? r.distributions.slice(0, 1) : r.distributions.filter((d) => r.headlines!.includes(d.name));
    for (const d of heads) lines.push(`| ${r.name} | ${cell(d.name)} | p50 ${fmt(d.p50)} ${d.unit}, p99 ${fmt(d.p99)} ${d.unit} (n=${d.n}) |`);
    for (const f of r.figures.filter((x) => x.goal !== undefined)) lines.push(`| ${r.name} | ${cell(f.name)} | ${cell(value(f.value))}${f.unit ? ` ${f.unit}` : ''} — goal ${cell(f.goal!)} ${f.met ? '✅' : '❌'} |`);
  }
  lines.push('');

  for (const r of report.results) {
    lines.push(`## ${r.name}`, '', `${r.description}. Status: **${r.status}**, ${fmt(r.durationMs / 1000)} s.`, '');
    if (r.status === 'failed') lines.push('```', r.error ?? '', '```', '');
    if (r.skipped) lines.push(`Not measured: ${r.skipped}`, '');
    if (r.distributions.length > 0) {
      const prev = new Map((r.vsPrevious ?? []).map((c) => [c.name, c]));
      const withPrev = prev.size > 0;
      lines.push(`| measure | unit | n | mean | p50 | p90 | p99 | max | p99/p50${withPrev ? ' | × prev p50' : ''} |`, `|---|---|---:|---:|---:|---:|---:|---:|---:${withPrev ? '|---:' : ''}|`);
      for (const d of r.distributions) {
        const c = prev.get(d.name);
        lines.push(`| ${cell(d.name)} | ${d.unit} | ${d.n} | ${fmt(d.mean)} | ${fmt(d.p50)} | ${fmt(d.p90)} | ${fmt(d.p99)} | ${fmt(d.max)} | ${d.tailRatio === null ? '—' : fmt(d.tailRatio)}${withPrev ? ` | ${c ? fmt(c.p50Ratio) : '—'}` : ''} |`);
      }
      lines.push('');
    }
    if (r.figures.length > 0) {
      for (const f of r.figures) lines.push(`- ${f.name}: **${value(f.value)}**${f.unit ? ` ${f.unit}` : ''}${f.goal ? ` (goal ${f.goal}: ${f.met ? 'met' : 'NOT met'})` : ''}`);
      lines.push('');
    }
    if (r.ratios.length > 0) {
      for (const x of r.ratios) lines.push(`- ratio ${x.name}: **${fmt(x.value)}** (${x.of})`);
      lines.push('');
    }
    for (const n of r.notes) lines.push(`> ${n}`, '>');
    if (r.notes.length > 0) lines.pop();
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
