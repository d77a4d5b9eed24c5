/**
 * One measured batch run in a fresh process, so its peak RSS is its own: the scheduler's
 * statement day (runScheduler over the given shards, all when omitted) or the floor, on a copy of
 * a seeded store. Prints one JSON line: seconds, peak RSS and what the run did.
 */
import fs from 'node:fs';
import { ManualClock } from '../cloudfunctions/src/adapters/clocks';
import { SqliteStore } from '../cloudfunctions/src/adapters/sqlite/sqliteStore';
import type { Deps } from '../cloudfunctions/src/app/context';
import { ACTIVE_POLICY } from '../cloudfunctions/src/core/policyLoader';
import { inboxOnlyNotifier } from '../cloudfunctions/src/ports/notifier';
import { runScheduler, SchedulerOptions } from '../cloudfunctions/src/usecases/scheduler';
import { runFloor } from './floor';
import { BENCH_NOW, BENCH_TODAY } from './seed';

export interface BatchChildInput {
  mode: 'scheduler' | 'floor';
  file: string;
  options?: SchedulerOptions;
  /** Scheduler invocations of at most this many accounts each, one after the other (cloud-like). */
  invocationAccounts?: number;
  /** Work through `options.shards` one shard at a time (one shard's invocations, then the next). */
  perShard?: boolean;
  /** Start at this epoch time (ms), so that processes started together measure the same span. */
  startAt?: number;
}

export interface BatchChildOutput {
  seconds: number;
  /** CPU time of this process (user + system). */
  cpuSeconds: number;
  peakRssMb: number;
  accounts: number;
  invocations: number;
  maxInvocationSeconds: number;
  /** Time inside scheduler invocations (process start and store opening excluded). */
  invocationSeconds: number;
  /** Epoch time (ms) at the end. */
  endedAt: number;
  /** The WAL file's size before the store closed: its largest, since SQLite reuses it in place. */
  walMb?: number;
  figures: Record<string, number>;
}

let cpuAtStart = process.cpuUsage();

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as BatchChildInput;
  if (input.startAt !== undefined && input.startAt > Date.now()) {
    await new Promise((resolve) => setTimeout(resolve, (input.startAt as number) - Date.now()));
  }
  const started = performance.now();
  cpuAtStart = process.cpuUsage();
  let out: Omit<BatchChildOutput, 'seconds' | 'cpuSeconds' | 'peakRssMb' | 'endedAt'>;
  if (input.mode === 'floor') {
    const r = runFloor(input.file, BENCH_TODAY, '2026-11');
    out = {
      accounts: r.accounts,
      invocations: 1,
      maxInvocationSeconds: 0,
      invocationSeconds: 0,
      figures: { read: r.read, written: r.written },
    };
  } else {
    const store = new SqliteStore({ file: input.file });
    const deps: Deps = {
      store,
      clock: new ManualClock(BENCH_NOW),
      policy: ACTIVE_POLICY,
      notifier: inboxOnlyNotifier,
      config: { sandboxEnabled: false, operatorOpenids: [] },
    };
    const figures: Record<string, number> = {};
    let accounts = 0;
    let invocations = 0;
    let maxInvocationSeconds = 0;
    let invocationSeconds = 0;
    const groups: (readonly number[] | undefined)[] =
      input.perShard && input.options?.shards
        ? input.options.shards.map((s) => [s])
        : [input.options?.shards];
    for (const shards of groups) {
      for (;;) {
        const t = performance.now();
        const run = await runScheduler(deps, {
          ...input.options,
          ...(shards ? { shards } : {}),
          ...(input.invocationAccounts ? { maxAccounts: input.invocationAccounts } : {}),
        });
        const took = (performance.now() - t) / 1000;
        maxInvocationSeconds = Math.max(maxInvocationSeconds, took);
        invocationSeconds += took;
        invocations += 1;
        accounts += run.accounts;
        for (const [k, v] of Object.entries(run)) {
          if (typeof v === 'number' && k !== 'days' && k !== 'accounts') figures[k] = (figures[k] ?? 0) + v;
        }
        if (run.done) break;
      }
    }
    const walMb = fs.statSync(`${input.file}-wal`).size / 1e6;
    out = { accounts, invocations, maxInvocationSeconds, invocationSeconds, figures, walMb };
    // Closing (the last checkpoint) counts, as the floor's does.
    await store.close();
  }
  report((performance.now() - started) / 1000, out);
}

function report(
  seconds: number,
  out: Omit<BatchChildOutput, 'seconds' | 'cpuSeconds' | 'peakRssMb' | 'endedAt'>,
): void {
  const cpu = process.cpuUsage(cpuAtStart);
  const result: BatchChildOutput = {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: peakRssMb(),
    endedAt: Date.now(),
    ...out,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * This process's peak RSS. Linux: VmHWM of /proc/self/status, which starts afresh at exec (getrusage's
 * maxRSS does not: a child would report at least its parent's RSS at fork).
 */
function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
