/**
 * EventBridge event-pattern matching, pure — the local bus routes with the same patterns that
 * the CDK app gives EventBridge rules, so both runtimes deliver the same events to the same
 * targets. Semantics follow the EventBridge user guide ("Content filtering in event patterns",
 * "Comparison operators"); no maintained npm matcher implements all of them (see
 * shared/reference/local-stand-ins.md).
 *
 * Rules, as EventBridge applies them:
 * - every field of the pattern must match (AND); a leaf array lists alternatives (OR);
 * - `$or: [p1, p2, …]` at any level matches if one sub-pattern matches at that level;
 * - an event array matches if any of its elements matches; arrays of objects are matched
 *   element by element, so two fields of one sub-pattern must match in the same element;
 * - a missing field matches nothing but `{ exists: false }`; an explicit `null` is a value
 *   (it matches `null`, `{ exists: true }` and `anything-but`);
 * - string operators never match numbers and `numeric` never matches strings.
 * @example
 * matchesPattern({ source: ['tradeops.gateway'], 'detail-type': [{ prefix: 'Order' }] }, { source: 'tradeops.gateway', 'detail-type': 'OrderSubmitted', detail: {} }); // true
 */

export type EventPattern = { readonly [field: string]: unknown };
export interface PatternIssue {
  /** Dotted path of the offending part of the pattern, e.g. `detail.price[0].numeric`. */
  path: string;
  message: string;
}

type Scalar = string | number | boolean | null;

const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr']);
const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);
/** EventBridge limits numeric matching to ±5.0e9. */
const NUMERIC_LIMIT = 5e9;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

/** True if `event` (an EventBridge-shaped object) matches `pattern`. The pattern should have passed `validatePattern`. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchObject(pattern, event);
}

function matchObject(pattern: EventPattern, value: unknown): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || !sub.some((alt) => isObject(alt) && matchObject(alt, value))) return false;
      continue;
    }
    const child = isObject(value) ? own(value, key) : undefined;
    const ok = Array.isArray(sub) ? matchLeaf(sub, child) : isObject(sub) ? matchNested(sub, child) : false;
    if (!ok) return false;
  }
  return true;
}

function matchNested(pattern: EventPattern, child: unknown): boolean {
  if (Array.isArray(child)) {
    const objects = flatten(child).filter(isObject);
    if (objects.length > 0) return objects.some((o) => matchObject(pattern, o));
    return matchObject(pattern, undefined);
  }
  return matchObject(pattern, isObject(child) ? child : undefined);
}

/** Leaf values of an event field: arrays flattened, objects dropped (they are not leaves). */
function flatten(v: unknown): unknown[] {
  if (!Array.isArray(v)) return [v];
  return v.flatMap((x) => flatten(x));
}

function matchLeaf(matchers: ReadonlyArray<unknown>, child: unknown): boolean {
  const values = child === undefined ? [] : flatten(child).filter(isScalar);
  const present = values.length > 0;
  return matchers.some((m) => matchOne(m, values, present));
}

function matchOne(m: unknown, values: Scalar[], present: boolean): boolean {
  if (isScalar(m)) return values.some((v) => v === m);
  if (!isObject(m)) return false;
  const [op, arg] = Object.entries(m)[0] ?? [];
  switch (op) {
    case 'exists':
      return arg === present;
    case 'anything-but':
      // At least one value that the exclusion does not cover; a missing field has none.
      return values.some((v) => !excludedBy(arg, v));
    case 'numeric':
      return values.some((v) => typeof v === 'number' && inRange(arg as unknown[], v));
    case 'cidr':
      return values.some((v) => typeof v === 'string' && inCidr(String(arg), v));
    default:
      return values.some((v) => typeof v === 'string' && stringOp(op, arg, v));
  }
}

/** prefix / suffix / equals-ignore-case / wildcard on one string value. */
function stringOp(op: string | undefined, arg: unknown, v: string): boolean {
  switch (op) {
    case 'prefix':
      return isObject(arg) ? v.toLowerCase().startsWith(String(arg['equals-ignore-case']).toLowerCase()) : v.startsWith(String(arg));
    case 'suffix':
      return isObject(arg) ? v.toLowerCase().endsWith(String(arg['equals-ignore-case']).toLowerCase()) : v.endsWith(String(arg));
    case 'equals-ignore-case':
      return v.toLowerCase() === String(arg).toLowerCase();
    case 'wildcard':
      return wildcardRegExp(String(arg)).test(v);
    default:
      return false;
  }
}

/** Whether `anything-but <arg>` excludes the value `v`. */
function excludedBy(arg: unknown, v: Scalar): boolean {
  if (Array.isArray(arg)) return arg.some((a) => a === v);
  if (!isObject(arg)) return arg === v;
  const [op, inner] = Object.entries(arg)[0] ?? [];
  if (typeof v !== 'string') return false; // string operators never cover numbers, booleans or null
  const list = Array.isArray(inner) ? inner : [inner];
  return list.some((x) => stringOp(op, x, v));
}

function inRange(spec: unknown[], v: number): boolean {
  for (let i = 0; i + 1 < spec.length; i += 2) {
    const op = spec[i];
    const bound = spec[i + 1] as number;
    const ok = op === '=' ? v === bound : op === '<' ? v < bound : op === '<=' ? v <= bound : op === '>' ? v > bound : op === '>=' ? v >= bound : false;
    if (!ok) return false;
  }
  return true;
}

const wildcardCache = new Map<string, RegExp>();
/** `*` is any run of characters; `\*` a literal star and `\\` a literal backslash. */
function wildcardRegExp(w: string): RegExp {
  let re = wildcardCache.get(w);
  if (re !== undefined) return re;
  let src = '';
  for (let i = 0; i < w.length; i++) {
    const c = w[i]!;
    if (c === '\\' && (w[i + 1] === '*' || w[i + 1] === '\\')) {
      src += `\\${w[i + 1]}`;
      i++;
    } else if (c === '*') {
      src += '.*';
    } else {
      src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  re = new RegExp(`^${src}$`, 's');
  if (wildcardCache.size < 1000) wildcardCache.set(w, re);
  return re;
}

// ---- IP addresses and CIDR blocks ---------------------------------------------------------

interface Ip {
  bits: 32 | 128;
  value: bigint;
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(p));
  }
  return value;
}

function parseIpv6(s: string): bigint | undefined {
  let text = s;
  let tail: number[] = [];
  // An embedded IPv4 tail (::ffff:10.0.0.1) counts as two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.') && lastColon >= 0) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    text = text.slice(0, lastColon);
    // `::10.0.0.1` leaves `:`, `1::10.0.0.1` leaves `1:` — restore the `::` they ended in.
    if (text.endsWith(':')) text += ':';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const groups = h.split(':');
    if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (head === undefined || rest === undefined) return undefined;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const groups = [...head, ...Array<number>(8 - given).fill(0), ...rest, ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function parseIp(s: string): Ip | undefined {
  if (s.includes(':')) {
    const value = parseIpv6(s);
    return value === undefined ? undefined : { bits: 128, value };
  }
  const value = parseIpv4(s);
  return value === undefined ? undefined : { bits: 32, value };
}

interface Cidr {
  bits: 32 | 128;
  base: bigint;
  mask: bigint;
}

function parseCidr(s: string): Cidr | undefined {
  const [addr, len, extra] = s.split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (ip === undefined) return undefined;
  const prefix = len === undefined ? ip.bits : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= ip.bits)) return undefined;
  const all = (1n << BigInt(ip.bits)) - 1n;
  const mask = all ^ ((1n << BigInt(ip.bits - prefix)) - 1n);
  return { bits: ip.bits, base: ip.value & mask, mask };
}

const cidrCache = new Map<string, Cidr | undefined>();
function inCidr(block: string, ipText: string): boolean {
  let cidr = cidrCache.get(block);
  if (cidr === undefined && !cidrCache.has(block)) {
    cidr = parseCidr(block);
    if (cidrCache.size < 1000) cidrCache.set(block, cidr);
  }
  const ip = parseIp(ipText);
  return cidr !== undefined && ip !== undefined && ip.bits === cidr.bits && (ip.value & cidr.mask) === cidr.base;
}

// ---- validation -------------------------------------------------------------------------

/**
 * Checks a pattern's shape and operator arguments as EventBridge does when a rule is created.
 * Returns the problems found; an empty list means the pattern is valid.
 * @example
 * validatePattern({ detail: { price: [{ numeric: ['>', 0, '<', 'x'] }] } }); // [{ path: 'detail.price[0].numeric', message: … }]
 */
export function validatePattern(pattern: unknown): PatternIssue[] {
  const issues: PatternIssue[] = [];
  if (!isObject(pattern)) return [{ path: '(root)', message: 'a pattern must be a JSON object' }];
  validateObject(pattern, '', issues);
  return issues;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function validateObject(o: Record<string, unknown>, path: string, issues: PatternIssue[]): void {
  if (Object.keys(o).length === 0) issues.push({ path: path || '(root)', message: 'an empty object matches nothing useful; remove it' });
  for (const [key, sub] of Object.entries(o)) {
    const p = join(path, key);
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2) issues.push({ path: p, message: '$or takes an array of at least two patterns' });
      else sub.forEach((alt, i) => (isObject(alt) ? validateObject(alt, `${p}[${i}]`, issues) : issues.push({ path: `${p}[${i}]`, message: 'each $or alternative must be an object' })));
    } else if (Array.isArray(sub)) {
      if (sub.length === 0) issues.push({ path: p, message: 'an empty array matches nothing' });
      sub.forEach((m, i) => validateMatcher(m, `${p}[${i}]`, issues));
    } else if (isObject(sub)) {
      validateObject(sub, p, issues);
    } else {
      issues.push({ path: p, message: 'a pattern field must be an array of values or a nested object' });
    }
  }
}

function validateMatcher(m: unknown, path: string, issues: PatternIssue[]): void {
  if (isScalar(m)) return;
  if (!isObject(m)) return void issues.push({ path, message: 'a match value must be a string, number, boolean, null or an operator object' });
  const keys = Object.keys(m);
  const op = keys[0];
  if (keys.length !== 1 || op === undefined || !OPERATORS.has(op)) return void issues.push({ path, message: `expected exactly one operator of ${[...OPERATORS].join(', ')}` });
  const arg = m[op];
  const p = `${path}.${op}`;
  const bad = (message: string) => issues.push({ path: p, message });
  switch (op) {
    case 'exists':
      if (typeof arg !== 'boolean') bad('exists takes true or false');
      break;
    case 'prefix':
    case 'suffix':
      if (!(typeof arg === 'string' || (isObject(arg) && Object.keys(arg).length === 1 && typeof arg['equals-ignore-case'] === 'string'))) bad(`${op} takes a string or { "equals-ignore-case": string }`);
      break;
    case 'equals-ignore-case':
      if (typeof arg !== 'string') bad('equals-ignore-case takes a string');
      break;
    case 'wildcard':
      if (typeof arg !== 'string') bad('wildcard takes a string');
      else validateWildcard(arg, bad);
      break;
    case 'numeric':
      validateNumeric(arg, bad);
      break;
    case 'cidr':
      if (typeof arg !== 'string' || parseCidr(arg) === undefined) bad('cidr takes an IPv4 or IPv6 block, e.g. "10.0.0.0/24" or "2001:db8::/32"');
      break;
    case 'anything-but':
      validateAnythingBut(arg, bad);
      break;
  }
}

function validateWildcard(w: string, bad: (m: string) => void): void {
  if (/(?<!\\)\*\*/.test(w.replace(/\\\\/g, ''))) bad('consecutive wildcard characters are not allowed');
  if (/\\(?![*\\])/.test(w.replace(/\\\\/g, ''))) bad('a backslash may only escape * or \\');
}

function validateNumeric(arg: unknown, bad: (m: string) => void): void {
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) return bad('numeric takes [op, number] or [lower-op, number, upper-op, number]');
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const n = arg[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op)) return bad(`unknown numeric operator ${JSON.stringify(op)}`);
    if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > NUMERIC_LIMIT) return bad('numeric bounds must be numbers within ±5e9');
  }
  if (arg.length === 4) {
    if (!(arg[0] === '>' || arg[0] === '>=') || !(arg[2] === '<' || arg[2] === '<=')) bad('a numeric range is a lower bound (> or >=) then an upper bound (< or <=)');
    else if ((arg[1] as number) >= (arg[3] as number)) bad('the lower bound must be below the upper bound');
  }
}

function validateAnythingBut(arg: unknown, bad: (m: string) => void): void {
  if (typeof arg === 'string' || typeof arg === 'number') return;
  if (Array.isArray(arg)) {
    if (arg.length === 0) return bad('anything-but takes a non-empty list');
    const allStrings = arg.every((x) => typeof x === 'string');
    const allNumbers = arg.every((x) => typeof x === 'number');
    if (!allStrings && !allNumbers) bad('an anything-but list holds only strings or only numbers');
    return;
  }
  if (!isObject(arg) || Object.keys(arg).length !== 1) return bad('anything-but takes a value, a list, or one of prefix, suffix, equals-ignore-case, wildcard');
  const [op, inner] = Object.entries(arg)[0]!;
  const strings = Array.isArray(inner) ? inner : [inner];
  const listAllowed = op === 'equals-ignore-case' || op === 'wildcard';
  if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(op)) return bad(`anything-but does not take ${op}`);
  if ((Array.isArray(inner) && !listAllowed) || strings.length === 0 || !strings.every((s) => typeof s === 'string')) {
    return bad(`anything-but ${op} takes a string${listAllowed ? ' or a list of strings' : ''}`);
  }
  if (op === 'wildcard') for (const s of strings as string[]) validateWildcard(s, bad);
}
