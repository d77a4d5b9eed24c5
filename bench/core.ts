/**
 * Throughput of the pure core: opening decisions (eligibility gates, score, quota) and 12-month
 * installment offers (schedule and IRR-annualised rate), each over varied inputs for a fixed time.
 */
import { decideApplication } from '../cloudfunctions/src/core/credit/application';
import type { CoreProfile } from '../cloudfunctions/src/core/credit/profile';
import { buildOffer } from '../cloudfunctions/src/core/installments/offers';
import { ACTIVE_POLICY } from '../cloudfunctions/src/core/policyLoader';
import { atLocal } from '../cloudfunctions/src/core/time';
import { DEMO_PERSONAS } from '../cloudfunctions/src/usecases/profiles';
import { prng } from './seed';

/** Calls of `fn(i)` per second over about `ms` milliseconds (after a short warm-up). */
function rate(fn: (i: number) => unknown, ms: number): number {
  for (let i = 0; i < 200; i += 1) fn(i);
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let k = 0; k < 100; k += 1) fn(calls + k);
    calls += 100;
    elapsed = performance.now() - started;
  }
  return (calls / elapsed) * 1000;
}

export function coreFigures(ms: number): Record<string, number> {
  const rand = prng(7);
  const base = DEMO_PERSONAS.demo_strong!.profile;
  const profiles: CoreProfile[] = Array.from({ length: 1024 }, () => ({
    ...base,
    payScore: 550 + Math.floor(rand() * 250),
    monthlyPaymentCount: Math.floor(rand() * 60),
    balanceFen: Math.floor(rand() * 1_000_000),
    friendCount: Math.floor(rand() * 500),
    overdueCount: rand() < 0.1 ? 1 : 0,
    payHistoryDays: Math.floor(rand() * 2000),
    avgMonthlySpendFen: Math.floor(rand() * 800_000),
  }));
  const now = atLocal(2026, 11, 5, 10);
  const evaluations = rate(
    (i) => decideApplication({ profile: profiles[i & 1023]!, now, policy: ACTIVE_POLICY }),
    ms,
  );
  const principals = Array.from({ length: 1024 }, () => 10_000 + Math.floor(rand() * 2_000_000));
  const schedules = rate((i) => buildOffer(principals[i & 1023]!, 12, ACTIVE_POLICY), ms);
  return {
    'core.evaluations_per_s': Math.round(evaluations),
    'core.schedules_per_s': Math.round(schedules),
  };
}
