/**
 * The timer-triggered `scheduler` function: the daily work of usecases/scheduler.ts, bounded so an
 * invocation ends well inside the function timeout, and able to fan out across invocations.
 *
 * - Accounts are spread over 64 shards (`shardOf(openid)`); each account's `lastDay` is its cursor,
 *   so any run may stop anywhere and the next one resumes; running twice is running once.
 * - One invocation handles at most SCHEDULER_MAX_ACCOUNTS accounts, in batches of SCHEDULER_BATCH,
 *   and starts no new batch after SCHEDULER_BUDGET_MS. It answers `done: false` when accounts are
 *   left over; they are picked up by the next invocation.
 * - Event `{ shards: [0, 1, …] }` (from the fan-out, or an operator) works on those shards only.
 * - The timer event (no `shards`) with SCHEDULER_FANOUT = N ≥ 2 splits the 64 shards into N groups
 *   and invokes this function once per group, in parallel (`app.callFunction`), waiting for all of
 *   them: capacity per tick ≈ N × SCHEDULER_MAX_ACCOUNTS (docs/cloudbase.md has the arithmetic).
 * - Mini program users cannot trigger it: a call carrying a user's openid is refused unless the
 *   openid is an operator's.
 * Afterwards the timer invocation sends queued subscribe-message pushes (best effort, after its
 * groups have finished); shard-group invocations do not, so no two invocations race to send one.
 */
import type { Envelope, SchedulerRunData } from '../../../typings/api';
import type { Deps } from '../app/context';
import { mergeRuns, runData, runSchedulerUntil } from '../usecases/scheduler';
import { SHARDS } from '../usecases/documents';
import { callerOpenid, getCloudRuntime, type CloudApp, type CloudRuntime } from './deps';
import { flushBestEffort, functionLogger, internalError, type CloudMain } from './entry';

export interface BoundedRun extends SchedulerRunData {
  done: boolean;
  accounts: number;
  batches: number;
  shards: number[] | 'all';
  pushesSent?: number;
}

export interface FanOutRun {
  fanout: number;
  done: boolean;
  accounts: number;
  groups: { shards: number[]; ok: boolean; done: boolean; accounts: number; error?: string }[];
  pushesSent?: number;
}

export interface BoundedOptions {
  shards?: readonly number[];
  maxAccounts: number;
  batch: number;
  budgetMs: number;
  now?: () => number;
}

/**
 * Run the scheduler in batches until done, the account cap or the time budget. The first batch
 * has `batch` accounts; later ones are sized from the time per account measured so far to fill
 * what is left of the budget (each batch re-reads its shards' account lists, so fewer is cheaper).
 */
export async function runBounded(deps: Deps, options: BoundedOptions): Promise<BoundedRun> {
  const now = options.now ?? Date.now;
  const started = now();
  const runs = await runSchedulerUntil(deps, (before) => {
    const accounts = before.reduce((n, r) => n + r.accounts, 0);
    const elapsed = now() - started;
    const size =
      before.length === 0
        ? Math.min(options.batch, options.maxAccounts)
        : Math.min(
            options.maxAccounts - accounts,
            Math.floor((options.budgetMs - elapsed) / (elapsed / Math.max(1, accounts))),
          );
    if (before.length > 0 && size < 1) return null;
    return { maxAccounts: Math.max(1, size), ...(options.shards ? { shards: options.shards } : {}) };
  });
  return {
    ...runs.map(runData).reduce(mergeRuns),
    done: runs.at(-1)!.done,
    accounts: runs.reduce((n, r) => n + r.accounts, 0),
    batches: runs.length,
    shards: options.shards ? [...options.shards] : 'all',
  };
}

/** Split shards 0..63 into `n` groups of consecutive shards (sizes differ by at most one). */
export function shardGroups(n: number): number[][] {
  const count = Math.max(1, Math.min(SHARDS, n));
  const groups: number[][] = [];
  let next = 0;
  for (let g = 0; g < count; g++) {
    const size = Math.floor(SHARDS / count) + (g < SHARDS % count ? 1 : 0);
    groups.push(Array.from({ length: size }, (_, i) => next + i));
    next += size;
  }
  return groups;
}

/** `shards` of the event: undefined when absent; an error message when malformed. */
export function parseShards(event: unknown): number[] | undefined | { error: string } {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return undefined;
  const shards = (event as { shards?: unknown }).shards;
  if (shards === undefined) return undefined;
  if (
    !Array.isArray(shards) ||
    shards.length === 0 ||
    shards.length > SHARDS ||
    !shards.every((s) => Number.isInteger(s) && s >= 0 && s < SHARDS) ||
    new Set(shards).size !== shards.length
  ) {
    return { error: `shards 须为 0–${SHARDS - 1} 之间互不相同的整数列表` };
  }
  return [...(shards as number[])].sort((a, b) => a - b);
}

export async function fanOut(app: CloudApp, groups: number[][], waitMs: number): Promise<FanOutRun> {
  const settled = await Promise.allSettled(
    groups.map((shards) => app.callFunction({ name: 'scheduler', data: { shards } }, { timeout: waitMs })),
  );
  const out: FanOutRun = { fanout: groups.length, done: true, accounts: 0, groups: [] };
  settled.forEach((s, i) => {
    const shards = groups[i] ?? [];
    const envelope =
      s.status === 'fulfilled' ? (s.value.result as Envelope<BoundedRun> | undefined) : undefined;
    if (envelope?.ok) {
      out.accounts += envelope.data.accounts;
      out.done &&= envelope.data.done;
      out.groups.push({ shards, ok: true, done: envelope.data.done, accounts: envelope.data.accounts });
    } else {
      out.done = false;
      const error =
        s.status === 'rejected'
          ? String((s.reason as Error)?.message ?? s.reason)
          : envelope && !envelope.ok
            ? `${envelope.error.code} ${envelope.error.message}`
            : `no answer (${s.value.code ?? 'empty'})`;
      out.groups.push({ shards, ok: false, done: false, accounts: 0, error });
    }
  });
  return out;
}

export function schedulerMain(runtime: () => CloudRuntime = getCloudRuntime): CloudMain {
  const logger = functionLogger('scheduler');
  return async function main(event: unknown): Promise<Envelope<unknown>> {
    let rt: CloudRuntime;
    try {
      rt = runtime();
    } catch (err) {
      logger.error('scheduler: cannot start (check the function environment variables)', err);
      return internalError();
    }
    const openid = callerOpenid(rt.app);
    if (openid && !rt.config.app.operatorOpenids.includes(openid)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: '调度任务仅由定时触发器或运营人员执行' } };
    }
    const shards = parseShards(event);
    if (shards && !Array.isArray(shards)) {
      return {
        ok: false,
        error: { code: 'INVALID_INPUT', message: shards.error, details: { field: 'shards' } },
      };
    }
    const { scheduler } = rt.config;
    try {
      if (shards === undefined && scheduler.fanout >= 2) {
        // Wait a little longer than a group's budget; the group's own function timeout bounds it.
        const run = await fanOut(rt.app, shardGroups(scheduler.fanout), scheduler.budgetMs + 15_000);
        const pushesSent = await flushBestEffort(rt.deps, scheduler.pushLimit, logger);
        return { ok: true, data: { ...run, pushesSent } };
      }
      const run = await runBounded(rt.deps, {
        ...(shards ? { shards } : {}),
        maxAccounts: scheduler.maxAccounts,
        batch: scheduler.batch,
        budgetMs: scheduler.budgetMs,
      });
      // Shard-group runs leave the pushes to the timer invocation: parallel groups would race.
      if (shards) return { ok: true, data: run };
      const pushesSent = await flushBestEffort(rt.deps, scheduler.pushLimit, logger);
      return { ok: true, data: { ...run, pushesSent } };
    } catch (err) {
      logger.error('scheduler run failed (the next run resumes from each account cursor)', err);
      return internalError();
    }
  };
}
