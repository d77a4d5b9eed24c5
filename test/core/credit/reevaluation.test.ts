import {
  userReevaluationAvailableAt,
  decideUserReevaluation,
  isScheduledReevaluationDue,
  nextEvaluationAt,
  pruneRequestTimes,
  scheduledRunAt,
} from '../../../cloudfunctions/src/core/credit/reevaluation';
import { atLocal, DAY_MS, HOUR_MS, toIso } from '../../../cloudfunctions/src/core/time';
import { NOW, policy } from './fixtures';

const T0 = NOW;

describe('scheduled re-evaluation', () => {
  it('is due at the first midnight at least 72 h after the last evaluation (the scheduler runs by day)', () => {
    const midnight = atLocal(2026, 11, 5);
    expect(nextEvaluationAt(midnight, policy)).toBe(midnight + 72 * HOUR_MS);
    expect(isScheduledReevaluationDue(midnight, midnight + 72 * HOUR_MS - 1, policy)).toBe(false);
    expect(isScheduledReevaluationDue(midnight, midnight + 72 * HOUR_MS, policy)).toBe(true);

    const tenAm = atLocal(2026, 11, 5, 10);
    expect(toIso(nextEvaluationAt(tenAm, policy))).toBe('2026-11-09T00:00:00+08:00');
    expect(isScheduledReevaluationDue(tenAm, tenAm + 72 * HOUR_MS, policy)).toBe(false);
    expect(isScheduledReevaluationDue(tenAm, atLocal(2026, 11, 9), policy)).toBe(true);
    // One millisecond past midnight waits for the next one.
    expect(toIso(nextEvaluationAt(midnight + 1, policy))).toBe('2026-11-09T00:00:00+08:00');
  });

  it('an account stored with evaluatedAt + 72 h (before the alignment) shows its real run too', () => {
    const stored = atLocal(2026, 11, 26, 5, 40); // 72 h after 05:40 on the 23rd
    expect(toIso(scheduledRunAt(stored))).toBe('2026-11-27T00:00:00+08:00');
    expect(scheduledRunAt(atLocal(2026, 11, 27))).toBe(atLocal(2026, 11, 27));
  });
});

describe('user re-evaluation requests', () => {
  it('allows the first request', () => {
    const r = decideUserReevaluation({
      status: 'active',
      requestTimes: [],
      lastAllowedAt: null,
      now: T0,
      policy,
    });
    expect(r).toEqual({ outcome: 'allowed', requestTimes: [T0], lastAllowedAt: T0 });
  });

  it('rate-limits a second request within 72 h; retryAt is when a request is done, not the third in 7 days', () => {
    const now = T0 + 24 * HOUR_MS;
    const r = decideUserReevaluation({
      status: 'active',
      requestTimes: [T0],
      lastAllowedAt: T0,
      now,
      policy,
    });
    // At T0 + 72 h the interval has passed, but that request would be the third within 7 days.
    expect(r).toEqual({
      outcome: 'rate_limited',
      retryAt: T0 + 7 * DAY_MS,
      requestTimes: [T0, now],
      lastAllowedAt: T0,
    });
    const atRetry = decideUserReevaluation({
      status: 'active',
      requestTimes: r.requestTimes,
      lastAllowedAt: r.lastAllowedAt,
      now: r.retryAt!,
      policy,
    });
    expect(atRetry.outcome).toBe('allowed');
    const justBefore = decideUserReevaluation({
      status: 'active',
      requestTimes: r.requestTimes,
      lastAllowedAt: r.lastAllowedAt,
      now: r.retryAt! - 1,
      policy,
    });
    expect(justBefore.outcome).toBe('under_review');
  });

  it('is shown to the minute, so it is rounded up to one: never a minute too early', () => {
    const at = T0 + 30_000; // 30 seconds past the minute
    expect(userReevaluationAvailableAt(at, [at], policy)).toBe(T0 + 72 * HOUR_MS + 60_000);
  });

  it('the time shown for the next request is the interval alone when the window is clear, the window otherwise', () => {
    expect(userReevaluationAvailableAt(null, [], policy)).toBeNull();
    expect(userReevaluationAvailableAt(T0, [T0], policy)).toBe(T0 + 72 * HOUR_MS);
    // Two well-spaced allowed requests: the next at +72 h would be the third in 7 days.
    const second = T0 + 72 * HOUR_MS;
    expect(userReevaluationAvailableAt(second, [T0, second], policy)).toBe(T0 + 7 * DAY_MS);
    expect(userReevaluationAvailableAt(T0 + 96 * HOUR_MS, [T0, T0 + 96 * HOUR_MS], policy)).toBe(
      T0 + 168 * HOUR_MS,
    );
  });

  it('puts the account under review on the third request within 7 days (refused ones count)', () => {
    const now = T0 + 48 * HOUR_MS;
    const r = decideUserReevaluation({
      status: 'active',
      requestTimes: [T0, T0 + 24 * HOUR_MS],
      lastAllowedAt: T0,
      now,
      policy,
    });
    expect(r).toMatchObject({ outcome: 'under_review', newStatus: 'under_review' });
    expect(r.retryAt).toBeUndefined();
  });

  it('counts well-spaced allowed requests too', () => {
    const second = T0 + 72 * HOUR_MS;
    const allowed = decideUserReevaluation({
      status: 'active',
      requestTimes: [T0],
      lastAllowedAt: T0,
      now: second,
      policy,
    });
    expect(allowed.outcome).toBe('allowed');
    const third = decideUserReevaluation({
      status: 'active',
      requestTimes: allowed.requestTimes,
      lastAllowedAt: allowed.lastAllowedAt,
      now: T0 + 144 * HOUR_MS,
      policy,
    });
    expect(third.outcome).toBe('under_review');
    // Exactly 7 days after the first one, that first request has left the window.
    const later = decideUserReevaluation({
      status: 'active',
      requestTimes: allowed.requestTimes,
      lastAllowedAt: allowed.lastAllowedAt,
      now: T0 + 7 * DAY_MS,
      policy,
    });
    expect(later).toEqual({
      outcome: 'allowed',
      requestTimes: [second, T0 + 7 * DAY_MS],
      lastAllowedAt: T0 + 7 * DAY_MS,
    });
  });

  it('refuses every request while under review', () => {
    const now = T0 + 30 * DAY_MS;
    const r = decideUserReevaluation({
      status: 'under_review',
      requestTimes: [T0],
      lastAllowedAt: T0,
      now,
      policy,
    });
    expect(r).toEqual({ outcome: 'under_review', requestTimes: [], lastAllowedAt: T0 });
  });

  it('does not overwrite a frozen status with under_review', () => {
    const r = decideUserReevaluation({
      status: 'frozen',
      requestTimes: [T0, T0 + HOUR_MS],
      lastAllowedAt: T0,
      now: T0 + 2 * HOUR_MS,
      policy,
    });
    expect(r.outcome).toBe('under_review');
    expect(r.newStatus).toBeUndefined();
  });

  it('prunes the history to the 7-day window', () => {
    expect(pruneRequestTimes([T0 - 8 * DAY_MS, T0 - 7 * DAY_MS, T0 - DAY_MS], T0, policy)).toEqual([
      T0 - DAY_MS,
    ]);
  });
});
