/**
 * The built cloud functions (`npm run build`, scripts/build.ts): the largest bundle (the SDK is
 * external, installed in the cloud, so not part of it) and cold `require` times in fresh Node
 * processes — a bundle alone, and `@cloudbase/node-sdk` alone — alternated, median of several.
 * A bundle loads the SDK lazily (on its first call), so `require_with_sdk` also times a bundle
 * followed by the SDK: what a cold invocation pays before its handler runs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

export interface FunctionFigures {
  figures: Record<string, number>;
  notes: string[];
}

function coldMs(requires: string[]): number {
  const script =
    `const t=process.hrtime.bigint();` +
    requires.map((r) => `require(${JSON.stringify(r)});`).join('') +
    `process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
  const out = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`require failed: ${out.stderr}`);
  return Number(out.stdout);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function functionFigures(options: { build: boolean; repeats: number }): FunctionFigures {
  const notes: string[] = [];
  if (!fs.existsSync(path.join(ROOT, 'scripts/build.ts'))) {
    return { figures: {}, notes: ['scripts/build.ts does not exist yet: function.* not measured'] };
  }
  if (options.build) {
    const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (built.status !== 0)
      notes.push(
        `npm run build failed, measuring the bundles on disk: ${built.stderr.trim().split('\n')[0]}`,
      );
  }
  const fnRoot = path.join(ROOT, 'cloudfunctions');
  const bundles = fs
    .readdirSync(fnRoot)
    .map((name) => path.join(fnRoot, name, 'index.js'))
    .filter((f) => fs.existsSync(f));
  if (bundles.length === 0)
    return { figures: {}, notes: [...notes, 'no built function bundles: run npm run build'] };
  const largest = bundles.reduce((a, b) => (fs.statSync(b).size > fs.statSync(a).size ? b : a));
  const fn: number[] = [];
  const sdk: number[] = [];
  const both: number[] = [];
  for (let i = 0; i < options.repeats; i += 1) {
    fn.push(coldMs([largest]));
    sdk.push(coldMs(['@cloudbase/node-sdk']));
    both.push(coldMs([largest, '@cloudbase/node-sdk']));
  }
  notes.push(`largest bundle: ${path.relative(ROOT, largest)}`);
  return {
    figures: {
      'function.bundle_kb': Math.round((fs.statSync(largest).size / 1024) * 10) / 10,
      'function.require_ms': Math.round(median(fn) * 10) / 10,
      'function.sdk_require_ms': Math.round(median(sdk) * 10) / 10,
      'function.require_ratio': Math.round((median(fn) / median(sdk)) * 100) / 100,
      'function.require_with_sdk_ratio': Math.round((median(both) / median(sdk)) * 100) / 100,
    },
    notes,
  };
}
