import type { AccountSummary } from '../../../lib/core/account/account-summary.js';
import { AccountSummarySchema } from '../../../lib/core/account/account-summary.js';
import { MappingError } from './errors.js';

/** The IB account-summary tags we request, and the field of ours each fills. */
export const ACCOUNT_SUMMARY_TAGS = {
  NetLiquidation: 'netLiquidation',
  TotalCashValue: 'totalCash',
  BuyingPower: 'buyingPower',
  GrossPositionValue: 'grossPositionValue',
} as const satisfies Record<string, keyof AccountSummary>;
export type AccountSummaryTag = keyof typeof ACCOUNT_SUMMARY_TAGS;

/** The `tags` argument of reqAccountSummary. */
export const ACCOUNT_SUMMARY_TAG_LIST = Object.keys(ACCOUNT_SUMMARY_TAGS).join(',');

/** IB sends values as text ("100000.00", "-12.5", sometimes "1.2E7"); normalise to a decimal string. */
export function accountValueToDecimal(value: string, tag: string): string {
  const trimmed = value.trim().replace(/,/g, '');
  if (/^-?\d{1,15}(\.\d{1,10})?$/.test(trimmed)) return trimmed;
  const n = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(n)) throw new MappingError('MAPPING.BAD_ACCOUNT_VALUE', `account tag ${tag} has value ${JSON.stringify(value)}`, { tag });
  return n.toFixed(2);
}

/**
 * Rows of one account (tag → value) → our AccountSummary; `undefined` while a tag is missing.
 * @example
 * accountSummaryFromTags('DU1', new Map([['NetLiquidation', { value: '100000', currency: 'USD' }], ...]), now)
 */
export function accountSummaryFromTags(account: string, rows: ReadonlyMap<string, { value: string; currency: string }>, at: string): AccountSummary | undefined {
  const out: Record<string, string> = { account, updatedAt: at };
  let currency: string | undefined;
  for (const [tag, field] of Object.entries(ACCOUNT_SUMMARY_TAGS)) {
    const row = rows.get(tag);
    if (row === undefined) return undefined;
    out[field] = accountValueToDecimal(row.value, tag);
    currency ??= row.currency || undefined;
  }
  out['currency'] = currency ?? 'USD';
  const parsed = AccountSummarySchema.safeParse(out);
  if (!parsed.success) throw new MappingError('MAPPING.INVALID_ACCOUNT_SUMMARY', `account ${account}: ${parsed.error.message}`);
  return parsed.data;
}
