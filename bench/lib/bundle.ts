import { build } from 'esbuild';

/**
 * Bundles a Lambda entry exactly as the CDK's NodejsFunction does (lib/infra/tradeops-function.ts:
 * ESM, node22, minified, the AWS SDK left to the runtime) and returns the bundle's size.
 */
export async function bundleLambda(entry: string, outfile: string): Promise<{ bytes: number }> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  const out = Object.values(r.metafile.outputs).find((o) => o.entryPoint !== undefined);
  return { bytes: out?.bytes ?? 0 };
}
