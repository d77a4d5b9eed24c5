/**
 * `npm run soak -- --steps N [--seed S] [--users U] [--runs R] [--check-all]`
 *
 * Runs the seeded simulation (test/sim) for as many steps as asked and prints a summary. Without
 * --seed a fresh seed is drawn (and printed first), so every soak explores new sequences; a
 * failure prints the seed and the exact command that replays it.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { simulate, SimulationFailure, type SimSummary } from '../test/sim/simulation';

interface Args {
  steps: number;
  users: number;
  runs: number;
  seed: string | null;
  checkAll: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { steps: 10_000, users: 12, runs: 1, seed: null, checkAll: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const int = (): number => {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer`);
      i += 1;
      return n;
    };
    if (flag === '--steps') args.steps = int();
    else if (flag === '--users') args.users = int();
    else if (flag === '--runs') args.runs = int();
    else if (flag === '--seed') {
      if (!value) throw new Error('--seed needs a value');
      args.seed = value;
      i += 1;
    } else if (flag === '--check-all') args.checkAll = true;
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: npm run soak -- --steps N [--seed S] [--users U] [--runs R] [--check-all]');
      process.exit(0);
    } else throw new Error(`unknown argument ${flag}`);
  }
  return args;
}

function print(s: SimSummary): void {
  const top = (o: Record<string, number>) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  console.log(`seed ${s.seed}: ${s.steps} steps, ${s.users} users, ${(s.ms / 1000).toFixed(1)} s`);
  console.log(`  simulated ${s.startedAt} → ${s.endedAt} (${s.simulatedDays} days)`);
  console.log(
    `  ${s.calls} handler calls, ${s.invariantChecks} invariant checks (${s.accountChecks} account audits)`,
  );
  console.log(
    `  scheduler runs ${s.schedulerRuns} (each run twice), replays ${s.replaysSame} same + ${s.replaysConflict} conflicting`,
  );
  console.log(`  operations: ${top(s.ops)}`);
  console.log(`  records: ${top(s.records)}`);
  const answers = Object.entries(s.answers)
    .filter(([k]) => /^(pay\.spend|bill\.repay|bill\.convert|credit\.apply) /.test(k))
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(`  answers: ${answers}`);
  console.log(`  trace ${s.traceHash.slice(0, 16)}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const totals = { steps: 0, calls: 0, checks: 0, days: 0 };
  for (let run = 0; run < args.runs; run++) {
    const seed =
      args.seed !== null
        ? args.runs > 1
          ? `${args.seed}-${run}`
          : args.seed
        : randomBytes(6).toString('hex');
    console.log(
      `soak: seed ${seed}, ${args.steps} steps, ${args.users} users${args.checkAll ? ', every account after every step' : ''}`,
    );
    try {
      const summary = await simulate({
        seed,
        steps: args.steps,
        users: args.users,
        checkAll: args.checkAll,
        progress: (line) => console.log(line),
        keepFailedDbAt: path.join(os.tmpdir(), `fenfu-soak-failure-${seed}.db`),
      });
      print(summary);
      totals.steps += summary.steps;
      totals.calls += summary.calls;
      totals.checks += summary.invariantChecks;
      totals.days += summary.simulatedDays;
    } catch (err) {
      if (err instanceof SimulationFailure) {
        console.error(err.message);
        console.error(
          `the database at the failure: ${path.join(os.tmpdir(), `fenfu-soak-failure-${seed}.db`)}`,
        );
        process.exit(1);
      }
      throw err;
    }
  }
  if (args.runs > 1) {
    console.log(
      `total: ${args.runs} runs, ${totals.steps} steps, ${totals.calls} calls, ${totals.checks} invariant checks, ${totals.days} simulated days, 0 failures`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
