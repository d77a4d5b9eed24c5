/** The local sandbox: edit the caller's profile, move the clock, invite oneself. */
import type { ClockData, Profile, SchedulerRunData } from '../../../typings/api';
import { mergeRuns, runData, runSchedulerUntil } from './scheduler';
import type { Ctx } from '../app/context';
import { AppError, Refusal, refusal } from '../app/errors';
import type { CoreProfile } from '../core/credit/profile';
import { DAY_MS, HOUR_MS, toIso } from '../core/time';
import { isAdjustable } from '../ports/clock';
import type { InvitationDoc, ProfileDoc } from './documents';
import { BLANK_PROFILE, profileDoc, profileView } from './profiles';

export async function setProfile(ctx: Ctx, changes: Partial<CoreProfile>): Promise<{ profile: Profile }> {
  const { store } = ctx.deps;
  return store.transaction(async (tx) => {
    const current = await tx.get<ProfileDoc>('profiles', ctx.openid);
    const { _id: _ignored, ...base } = current ?? profileDoc(ctx.openid, BLANK_PROFILE);
    const next: CoreProfile = { ...base, ...changes };
    await tx.put('profiles', profileDoc(ctx.openid, next));
    return { profile: profileView(next) };
  });
}

export interface ClockInput {
  advanceHours?: number;
  advanceDays?: number;
  set?: number;
}

/** The longest move of the sandbox clock at once (advanceDays, advanceHours and set alike). */
export const MAX_CLOCK_JUMP_DAYS = 366;

export async function moveClock(ctx: Ctx, input: ClockInput): Promise<ClockData | Refusal> {
  const { clock } = ctx.deps;
  const now = await clock.now();
  const given = [input.advanceHours, input.advanceDays, input.set].filter((v) => v !== undefined).length;
  if (given > 1) {
    throw new AppError('INVALID_INPUT', 'advanceHours、advanceDays、set 只能选一个', { field: 'set' });
  }
  if (given === 0) return { now: toIso(now) };
  if (!isAdjustable(clock)) throw new AppError('FORBIDDEN', '当前环境的时钟不可调整');
  const target = input.set ?? now + (input.advanceHours ?? 0) * HOUR_MS + (input.advanceDays ?? 0) * DAY_MS;
  // The scheduler replays every day up to the new now, per account: a jump of years would hold the
  // local cloud for minutes. The same bound as advanceDays.
  if (target > now + MAX_CLOCK_JUMP_DAYS * DAY_MS) {
    throw new AppError('INVALID_INPUT', `沙箱时钟一次最多向前调整 ${MAX_CLOCK_JUMP_DAYS} 天`, {
      field: 'set',
    });
  }
  // Moving back would let the scheduler's finished days happen again.
  if (target < now) return refusal('CLOCK_BACKWARDS', '沙箱时钟只能向前调整', { now: toIso(now) });
  return { now: toIso(await clock.set(target)) };
}

export async function invite(
  ctx: Ctx,
  openid: string,
  by: string,
): Promise<{ openid: string; invited: true }> {
  const { store, clock } = ctx.deps;
  const now = await clock.now();
  await store.transaction(async (tx) => {
    const existing = await tx.get<InvitationDoc>('invitations', openid);
    if (existing && !existing.used) return;
    await tx.put<InvitationDoc>('invitations', {
      _id: openid,
      openid,
      createdAt: now,
      createdBy: by,
      used: false,
    });
  });
  return { openid, invited: true };
}

/** Run the scheduler to now, as many bounded runs as it takes; report what the days did. */
export async function runSchedulerNow(ctx: Ctx): Promise<SchedulerRunData> {
  const runs = await runSchedulerUntil(ctx.deps, (done) =>
    done.length < 10_000 ? { maxAccounts: 500 } : null,
  );
  if (!runs.at(-1)?.done) throw new AppError('INTERNAL', '调度未能在限定轮次内完成');
  return runs.map(runData).reduce(mergeRuns);
}
