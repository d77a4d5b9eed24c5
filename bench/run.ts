/**
 * `npm run bench` (full) and `npm run bench -- --quick`: measures, prints a table and writes
 * bench/results.json. Benchmarks only measure; nothing here asserts a time. Ratios are taken
 * within one run, since absolute times on a shared machine drift.
 *
 *   --quick          N = 10,000 accounts (scaling against 1,000), fewer requests and repeats
 *   --only=a,b       only these sections: core, miniprogram, function, gateway, batch, shards
 *
 * Seeded stores are cached in .tmp/bench (keyed by the product sources), so a second run skips
 * seeding; `rm -rf .tmp/bench` forgets them.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BatchChildInput, BatchChildOutput } from './batch-child';
import { compiled } from './compile';
import { coreFigures } from './core';
import { functionFigures } from './functions';
import { gatewayFigures } from './gateway';
import { miniprogramPackage } from './miniprogram';
import { buildTemplates, expectedFigures, SEED_VERSION, TemplateSet, writeClones } from './seed';

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, '.tmp/bench');
const RESULTS = path.join(__dirname, 'results.json');
const SHM = '/dev/shm';

type Figures = Record<string, number | string>;

interface Mode {
  name: 'quick' | 'full';
  accounts: number;
  gatewayRequests: number;
  gatewayAccounts: number;
  coreMs: number;
  requireRepeats: number;
  shardWorkers: number;
  /** Accounts per scheduler invocation in the shard runner (the cloud's SCHEDULER_MAX_ACCOUNTS). */
  invocationAccounts: number;
  /** Runs of the small batch (the median is kept). */
  smallRuns: number;
}

const QUICK: Mode = {
  name: 'quick',
  accounts: 10_000,
  gatewayRequests: 2_000,
  gatewayAccounts: 500,
  coreMs: 300,
  requireRepeats: 2,
  shardWorkers: 2,
  invocationAccounts: 2_000,
  smallRuns: 3,
};
const FULL: Mode = {
  name: 'full',
  accounts: 100_000,
  gatewayRequests: 10_000,
  gatewayAccounts: 2_000,
  coreMs: 1_000,
  requireRepeats: 7,
  shardWorkers: 2,
  invocationAccounts: 2_000,
  smallRuns: 1,
};

/** The SQLite store's two connections' page caches (adapters/sqlite/sqliteStore.ts), MB. */
const PAGE_CACHES_MB = 2 * 32;

const GOALS: Record<string, { max?: number; text: string }> = {
  'batch.ratio': { max: 3, text: '≤ 3' },
  'batch.scaling': { max: 11, text: '≤ 11' },
  'batch.peak_rss_mb': { text: 'flat in N' },
  'gateway.ratio': { max: 3, text: '≤ 3' },
  'function.bundle_kb': { max: 300, text: '≤ 300' },
  'function.require_ratio': { max: 1.5, text: '≤ 1.5' },
};

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mode = args.includes('--quick') ? QUICK : FULL;
  const only = args
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const want = (section: string) => !only || only.includes(section);
  const started = performance.now();
  const figures: Figures = {};
  const notes: string[] = [];
  fs.mkdirSync(CACHE, { recursive: true });
  log(
    `bench (${mode.name}): ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  if (want('core')) {
    log('core …');
    Object.assign(figures, coreFigures(mode.coreMs));
  }
  if (want('miniprogram')) {
    log('miniprogram …');
    const mp = miniprogramPackage(path.join(ROOT, 'miniprogram'));
    figures['miniprogram.package_kb'] = kb(mp.totalBytes);
    figures['miniprogram.own_kb'] = kb(mp.ownBytes);
    figures['miniprogram.npm_kb'] = kb(mp.npmBytes);
    if (mp.missing.length > 0) {
      const specs = [...new Set(mp.missing.map((m) => m.split(' → ')[1]))];
      notes.push(
        `miniprogram: ${mp.missing.length} imports resolve to nothing in miniprogram_npm (${specs.join(', ')}); not counted`,
      );
    }
  }
  if (want('function')) {
    log('function …');
    const fn = functionFigures({
      build: mode.name === 'full' || bundlesStale(),
      repeats: mode.requireRepeats,
    });
    Object.assign(figures, fn.figures);
    notes.push(...fn.notes.map((n) => `function: ${n}`));
  }
  if (want('gateway')) {
    log('gateway …');
    const gw = await gatewayFigures({
      requests: mode.gatewayRequests,
      accounts: mode.gatewayAccounts,
      dataDir: path.join(CACHE, 'gateway'),
    });
    Object.assign(figures, gw.figures);
    notes.push(...gw.notes.map((n) => `gateway: ${n}`));
  }
  if (want('batch') || want('shards')) {
    await batch(mode, want, figures, notes);
  }

  figures['bench.seconds'] = Math.round((performance.now() - started) / 100) / 10;
  printTable(figures);
  for (const n of notes) log(`note: ${n}`);
  const result = {
    mode: mode.name,
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? '',
      node: process.version,
      loadavg: os.loadavg(),
    },
    figures,
    notes,
  };
  // A partial run (--only) keeps the other figures of the last run.
  if (only && fs.existsSync(RESULTS)) {
    const previous = JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as typeof result;
    if (previous.mode === mode.name) result.figures = { ...previous.figures, ...figures };
  }
  fs.writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${path.relative(ROOT, RESULTS)}`);
}

async function batch(
  mode: Mode,
  want: (s: string) => boolean,
  figures: Figures,
  notes: string[],
): Promise<void> {
  const small = mode.accounts / 10;
  const key = sourceKey();
  const set = await templates(key);
  const seedSmall = await seed(key, set, small);
  const seedLarge = await seed(key, set, mode.accounts);
  const work = path.join(CACHE, 'work.db');
  const check = (label: string, n: number, got: Record<string, number>) => {
    const expected = expectedFigures(set, n);
    const wrong = Object.entries(expected).filter(([k, v]) => got[k] !== v);
    if (wrong.length > 0) {
      notes.push(
        `${label}: figures differ from the templates' (${wrong.map(([k, v]) => `${k} ${got[k]} ≠ ${v}`).join(', ')})`,
      );
      return false;
    }
    return true;
  };

  if (want('batch')) {
    // The small run is short, so noisier: the median of `smallRuns`.
    log(`batch: scheduler, ${small} accounts (×${mode.smallRuns}) …`);
    const smalls: BatchChildOutput[] = [];
    for (let i = 0; i < mode.smallRuns; i += 1)
      smalls.push(await child(seedSmall, work, { mode: 'scheduler' }));
    const a = [...smalls].sort((x, y) => x.seconds - y.seconds)[Math.floor(smalls.length / 2)]!;
    log(`batch: scheduler, ${mode.accounts} accounts …`);
    const b = await child(seedLarge, work, { mode: 'scheduler' });
    log(`batch: floor, ${small} and ${mode.accounts} accounts …`);
    const fs0 = await child(seedSmall, work, { mode: 'floor' });
    const f = await child(seedLarge, work, { mode: 'floor' });
    const ok =
      check('batch', small, a.figures) &&
      check('batch', mode.accounts, b.figures) &&
      a.accounts === small &&
      b.accounts === mode.accounts;
    Object.assign(figures, {
      'batch.accounts': b.accounts,
      'batch.seconds': round(b.seconds, 2),
      'batch.floor_seconds': round(f.seconds, 2),
      'batch.ratio': round(b.seconds / f.seconds, 2),
      'batch.cpu_seconds': round(b.cpuSeconds, 2),
      'batch.floor_cpu_seconds': round(f.cpuSeconds, 2),
      'batch.cpu_ratio': round(b.cpuSeconds / f.cpuSeconds, 2),
      'batch.accounts_per_s': Math.round(b.accounts / b.seconds),
      'batch.small_accounts': a.accounts,
      'batch.small_seconds': round(a.seconds, 2),
      'batch.scaling': round(b.seconds / a.seconds, 2),
      // The floor's own scaling: how much of the growth per account is the store's (a larger
      // b-tree, fewer documents sharing a page), not the scheduler's.
      'batch.floor_scaling': round(f.seconds / fs0.seconds, 2),
      'batch.peak_rss_mb': round(b.peakRssMb, 1),
      'batch.small_peak_rss_mb': round(a.peakRssMb, 1),
      // Bounded whatever N (the checkpointer's limit, adapters/sqlite/checkpointer.ts).
      ...(b.walMb !== undefined ? { 'batch.wal_mb': round(b.walMb, 1) } : {}),
      'batch.statements': b.figures.statementsIssued ?? 0,
      'batch.check': ok ? 'ok' : 'MISMATCH',
    });
  }

  if (want('shards')) {
    // The shard runner: W processes on the same SQLite file, each working through its group of
    // consecutive shards in invocations of at most `invocationAccounts` accounts, as the cloud's
    // fanned-out scheduler invocations do (SCHEDULER_FANOUT groups, SCHEDULER_MAX_ACCOUNTS).
    const n = small;
    log(`shards: ${mode.shardWorkers} workers, ${n} accounts …`);
    copyDb(seedSmall, work);
    const per = 64 / mode.shardWorkers;
    const groupOf = (w: number) => Array.from({ length: per }, (_, i) => w * per + i);
    // Started together once every process is up (process start-up is not the scheduler's).
    const startAt = Date.now() + 2500;
    const outs = await Promise.all(
      Array.from({ length: mode.shardWorkers }, (_, w) =>
        run({
          mode: 'scheduler',
          file: work,
          options: { shards: groupOf(w) },
          invocationAccounts: mode.invocationAccounts,
          startAt,
        }),
      ),
    );
    const seconds = (Math.max(...outs.map((o) => o.endedAt)) - startAt) / 1000;
    // One process on the same accounts: the batch run of that size when there was one.
    let single = typeof figures['batch.small_seconds'] === 'number' ? figures['batch.small_seconds'] : 0;
    if (single === 0) {
      log(`shards: one process, ${n} accounts …`);
      single = (await child(seedSmall, work, { mode: 'scheduler' })).seconds;
    }
    const total: Record<string, number> = {};
    for (const o of outs) for (const [k, v] of Object.entries(o.figures)) total[k] = (total[k] ?? 0) + v;
    const accounts = outs.reduce((s, o) => s + o.accounts, 0);
    const ok = check('shards', n, total) && accounts === n;
    Object.assign(figures, {
      'shards.accounts': accounts,
      'shards.workers': mode.shardWorkers,
      'shards.invocations': outs.reduce((s, o) => s + o.invocations, 0),
      'shards.seconds': round(seconds, 2),
      'shards.single_seconds': round(single, 2),
      'shards.speedup': round(single / seconds, 2),
      'shards.max_invocation_s': round(Math.max(...outs.map((o) => o.maxInvocationSeconds)), 2),
      // A million accounts, one invocation group per shard: 64 shards of 15,625 accounts, each
      // in ⌈15,625 / invocationAccounts⌉ invocations; one shard's work at the one-process rate.
      'shards.million_invocations': 64 * Math.ceil(1_000_000 / 64 / mode.invocationAccounts),
      'shards.million_shard_s': round((single / n) * (1_000_000 / 64), 1),
      'shards.check': ok ? 'ok' : 'MISMATCH',
    });
  }
  fs.rmSync(work, { force: true });
  for (const f of [`${work}-wal`, `${work}-shm`]) fs.rmSync(f, { force: true });
}

/** Copy a seeded store and run one measured child on the copy. */
async function child(
  seedFile: string,
  work: string,
  input: Omit<BatchChildInput, 'file'>,
): Promise<BatchChildOutput> {
  copyDb(seedFile, work);
  return run({ ...input, file: work });
}

function copyDb(from: string, to: string): void {
  for (const f of [to, `${to}-wal`, `${to}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(from, to);
}

function run(input: BatchChildInput): Promise<BatchChildOutput> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [compiled('batch-child'), JSON.stringify(input)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    p.on('error', reject);
    p.on('exit', (code) => {
      if (code !== 0) reject(new Error(`batch child exited ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as BatchChildOutput);
    });
  });
}

/** A key of everything a seeded store depends on: the product sources and the seeding code. */
function sourceKey(): string {
  const hash = createHash('sha256').update(`v${SEED_VERSION}`);
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      return e.isDirectory() ? walk(full) : e.name.endsWith('.ts') ? [full] : [];
    });
  const files = [
    ...walk(path.join(ROOT, 'cloudfunctions/src')),
    path.join(__dirname, 'seed.ts'),
    path.join(ROOT, 'test/support/harness.ts'),
  ].sort();
  for (const f of files) hash.update(f).update(fs.readFileSync(f));
  return hash.digest('hex').slice(0, 12);
}

async function templates(key: string): Promise<TemplateSet> {
  const file = path.join(CACHE, `templates-${key}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as TemplateSet;
  // Forget the seeds of other sources.
  for (const f of fs.readdirSync(CACHE))
    if (/^(templates|seed)-/.test(f) && !f.includes(key)) fs.rmSync(path.join(CACHE, f), { force: true });
  log('seed: living the template accounts through three months …');
  const tmp = process.env.TMPDIR;
  // The templates' own store needs no durability: a RAM disk when there is one.
  if (fs.existsSync(SHM)) process.env.TMPDIR = SHM;
  try {
    const set = await buildTemplates();
    fs.writeFileSync(file, JSON.stringify(set));
    return set;
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
}

async function seed(key: string, set: TemplateSet, n: number): Promise<string> {
  const file = path.join(CACHE, `seed-${key}-${n}.db`);
  if (fs.existsSync(file)) return file;
  log(`seed: ${n} accounts …`);
  const scratch = fs.existsSync(SHM) ? path.join(SHM, `fenfu-bench-${process.pid}-${n}.db`) : `${file}.tmp`;
  try {
    await writeClones(scratch, set, n);
    fs.copyFileSync(scratch, `${file}.partial`);
    fs.renameSync(`${file}.partial`, file);
  } finally {
    for (const f of [scratch, `${scratch}-wal`, `${scratch}-shm`]) fs.rmSync(f, { force: true });
  }
  return file;
}

/** Whether any built bundle is older than the newest function source. */
function bundlesStale(): boolean {
  const fnRoot = path.join(ROOT, 'cloudfunctions');
  const bundles = fs
    .readdirSync(fnRoot)
    .map((n) => path.join(fnRoot, n, 'index.js'))
    .filter((f) => fs.existsSync(f));
  if (bundles.length === 0) return true;
  const walk = (dir: string): number =>
    Math.max(
      0,
      ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? walk(full) : fs.statSync(full).mtimeMs;
      }),
    );
  const newestSource = walk(path.join(fnRoot, 'src'));
  return bundles.some((b) => fs.statSync(b).mtimeMs < newestSource);
}

function printTable(figures: Figures): void {
  const rows = Object.entries(figures).map(([name, value]) => {
    const goal = GOALS[name];
    let status = '';
    if (goal?.max !== undefined && typeof value === 'number') status = value <= goal.max ? 'ok' : 'MISSED';
    if (
      name === 'batch.peak_rss_mb' &&
      typeof value === 'number' &&
      typeof figures['batch.small_peak_rss_mb'] === 'number'
    ) {
      // Flat: at most what the run at N/10 peaked at, plus what is bounded but may not have filled
      // there — the store's two page caches — plus 10 %.
      const bound = ((figures['batch.small_peak_rss_mb'] as number) + PAGE_CACHES_MB) * 1.1;
      status = value <= bound ? 'ok' : 'MISSED';
    }
    return [name, typeof value === 'number' ? String(value) : value, goal?.text ?? '', status];
  });
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...rows.map((r) => r[i]!.length), ['figure', 'value', 'goal', ''][i]!.length),
  );
  const line = (r: string[]) =>
    r.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(['figure', 'value', 'goal', '']));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function kb(bytes: number): number {
  return Math.round((bytes / 1024) * 10) / 10;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
