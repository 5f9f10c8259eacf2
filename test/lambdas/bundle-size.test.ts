import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAMBDA_BUNDLE_BUDGET_BYTES, LAMBDA_ENTRIES } from '../../lib/catalog/lambda-entries.js';
import { bundleLambda } from '../../bench/lib/bundle.js';

const REPO = new URL('../../', import.meta.url).pathname;

describe('Lambda bundles', () => {
  it.each(LAMBDA_ENTRIES.map((e) => [e.name, e.entry] as const))('keeps the %s bundle under 1 MB', async (name, entry) => {
    const dir = mkdtempSync(join(tmpdir(), 'tradeops-bundle-'));
    const { bytes } = await bundleLambda(join(REPO, entry), join(dir, `${name}.mjs`));
    rmSync(dir, { recursive: true, force: true });
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThanOrEqual(LAMBDA_BUNDLE_BUDGET_BYTES);
  });
});
