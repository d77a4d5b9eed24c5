/**
 * The benchmark's child processes start from one esbuild bundle each (as the cloud functions do)
 * rather than through tsx, which would compile every TypeScript module again in every process:
 * a child starts in a fraction of a second, and the quick run stays quick.
 */
import path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.tmp/bench/js');
const built = new Set<string>();

/** The bundled script of bench/<name>.ts (built once per run). */
export function compiled(name: string): string {
  const outfile = path.join(OUT, `${name}.cjs`);
  if (!built.has(name)) {
    buildSync({
      entryPoints: [path.join(__dirname, `${name}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // Native or heavy packages load from node_modules, as in the product.
      packages: 'external',
      logLevel: 'silent',
    });
    built.add(name);
  }
  return outfile;
}
