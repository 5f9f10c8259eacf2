/** A plain text table: columns of figures right-aligned (header too), text left-aligned. */
export function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => /^-?[\d.,]+%?$|^-$/.test(r[c] ?? '')));
  return all.map((r) => r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

/** Until tokens arrive (access control, issue 4) the operator is named on the command line or is the OS user. */
/** `--operator` only asserts who acts; the API takes the person from the token and refuses a mismatch. */
export const operatorOf = (values: Record<string, unknown>): { operator?: string } => (typeof values['operator'] === 'string' ? { operator: values['operator'] } : {});
