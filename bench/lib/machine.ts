import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, platform, release, totalmem } from 'node:os';

/** Where and on what the numbers were taken: a benchmark result means nothing without it. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs this process may use (`os.availableParallelism`). */
  cores: number;
  memoryMb: number;
  node: string;
  os: string;
  arch: string;
  date: string;
  git: { commit: string; branch: string; dirty: boolean } | { commit: 'unknown'; reason: string };
}

/** Reads the machine's description once, at the start of a run. */
export function describeMachine(cwd: string, now: Date = new Date()): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: availableParallelism(),
    memoryMb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    os: osName(),
    arch: arch(),
    date: now.toISOString(),
    git: gitState(cwd),
  };
}

/** `/proc/cpuinfo`'s model name (Linux); elsewhere what `os.cpus()` says. */
function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    const model = line?.split(':').slice(1).join(':').trim();
    if (model) return model;
  } catch {
    // not Linux: fall through
  }
  return cpus()[0]?.model.trim() || 'unknown';
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) return `${pretty} (${platform()} ${release()})`;
  } catch {
    // no os-release
  }
  return `${platform()} ${release()}`;
}

function gitState(cwd: string): MachineInfo['git'] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), branch: git('rev-parse', '--abbrev-ref', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch (e) {
    return { commit: 'unknown', reason: e instanceof Error ? e.message.split('\n')[0]! : String(e) };
  }
}

/** A one-line description for the report header. */
export function machineLine(m: MachineInfo): string {
  const commit = m.git.commit === 'unknown' ? 'commit unknown' : `${m.git.commit.slice(0, 10)}${'dirty' in m.git && m.git.dirty ? ' (+ uncommitted changes)' : ''}`;
  return `${m.cpuModel}, ${m.cores} cores, ${(m.memoryMb / 1024).toFixed(1)} GiB RAM, Node ${m.node}, ${m.os}, ${m.date}, ${commit}`;
}
