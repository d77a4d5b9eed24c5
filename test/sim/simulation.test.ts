/**
 * The seeded simulation in `npm test`: a few thousand steps over fixed seeds (so CI is
 * reproducible), every invariant after every step, and a proof that a seed replays exactly.
 * `SIM_SEED=<seed> SIM_STEPS=<n>` runs one chosen seed instead (e.g. one a soak printed);
 * `npm run soak -- --steps N` runs as many steps as asked.
 */
import { simulate, type SimSummary } from './simulation';
import { Prng } from './prng';

jest.setTimeout(120_000);

const STEPS = Number(process.env.SIM_STEPS ?? 1200);
const SEEDS = process.env.SIM_SEED ? [process.env.SIM_SEED] : ['fenfu-sim-1', 'fenfu-sim-2'];

function line(s: SimSummary): string {
  return (
    `seed ${s.seed}: ${s.steps} steps, ${s.users} users, ${s.calls} calls, ${s.invariantChecks} invariant checks, ` +
    `${s.schedulerRuns} scheduler runs, ${s.replaysSame}+${s.replaysConflict} replays, ${s.simulatedDays} days, ` +
    `${s.records.statements} statements, ${s.records.repayments} repayments, ${s.records.plans} plans, ${(s.ms / 1000).toFixed(1)} s`
  );
}

describe('seeded simulation', () => {
  it.each(SEEDS)(`seed %s: ${STEPS} random steps, every invariant after every step`, async (seed) => {
    const s = await simulate({ seed, steps: STEPS, users: 8 });
    console.log(line(s));
    expect(s.steps).toBe(STEPS);
    // The run exercised the product, not just refusals.
    expect(s.answers['pay.spend ok']).toBeGreaterThan(STEPS / 12);
    expect(s.answers['bill.repay ok']).toBeGreaterThan(STEPS / 40);
    expect(s.answers['bill.convert ok'] ?? 0).toBeGreaterThan(0);
    expect(s.records.statements).toBeGreaterThan(0);
    expect(s.replaysSame).toBeGreaterThan(0);
    expect(s.replaysConflict).toBeGreaterThan(0);
  });

  it('replays exactly from its seed: the same seed gives the same trace, another seed another', async () => {
    const a = await simulate({ seed: 'replay-check', steps: 250, users: 5 });
    const b = await simulate({ seed: 'replay-check', steps: 250, users: 5 });
    const c = await simulate({ seed: 'replay-check-2', steps: 250, users: 5 });
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.calls).toBe(a.calls);
    expect(b.invariantChecks).toBe(a.invariantChecks);
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it('the PRNG is deterministic and spreads evenly', () => {
    const a = new Prng('x');
    const b = new Prng('x');
    const draws = Array.from({ length: 1000 }, () => a.int(0, 9));
    expect(Array.from({ length: 1000 }, () => b.int(0, 9))).toEqual(draws);
    for (let d = 0; d < 10; d++) {
      const n = draws.filter((x) => x === d).length;
      expect(n).toBeGreaterThan(60);
      expect(n).toBeLessThan(140);
    }
    expect(new Prng('y').next()).not.toBe(new Prng('x').next());
  });
});
