import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resident memory of a process and all its descendants, from /proc (Linux). `npm start` runs as
 * tsx → node (tsx's CLI re-executes Node with its loader), so the system's footprint is the tree's.
 */
export interface TreeRss {
  /** Sum over the tree, MB. */
  totalMb: number;
  /** Per process: pid, command name, RSS in MB. */
  processes: Array<{ pid: number; name: string; rssMb: number }>;
}

/** The RSS of `rootPid` and its descendants; undefined where /proc is not available. */
export function treeRss(rootPid: number): TreeRss | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const parentOf = new Map<number, number>();
  for (const e of entries) {
    const stat = readOrUndefined(`/proc/${e}/stat`);
    // Field 4 (ppid) follows the command name in parentheses, which may itself contain spaces.
    const m = stat === undefined ? null : /\)\s+\S\s+(\d+)/.exec(stat);
    if (m) parentOf.set(Number(e), Number(m[1]));
  }
  const inTree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (!inTree.has(pid) && inTree.has(ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  const processes: TreeRss['processes'] = [];
  for (const pid of inTree) {
    const status = readOrUndefined(`/proc/${pid}/status`);
    if (status === undefined) continue;
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
    const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
    processes.push({ pid, name, rssMb: kb / 1024 });
  }
  if (processes.length === 0) return undefined;
  return { totalMb: processes.reduce((s, p) => s + p.rssMb, 0), processes };
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
