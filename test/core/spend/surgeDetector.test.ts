import {
  detectSpendSurge,
  lookbackDays,
  pruneDailySpend,
} from '../../../cloudfunctions/src/core/spend/surgeDetector';
import { DEFAULT_POLICY_INPUT as policy } from '../../../cloudfunctions/src/core/policy';

const TODAY = '2026-11-15';

/** 100.00 on each of the 30 previous days: average 100.00. */
function steady(): Record<string, number> {
  const m: Record<string, number> = {};
  for (const k of lookbackDays(TODAY, policy)) m[k] = 10_000;
  return m;
}

describe('spend surge detector', () => {
  it('exactly 130% of the average is not a surge; one fen more is', () => {
    const at130 = detectSpendSurge({
      dailySpend: { ...steady(), [TODAY]: 13_000 },
      amountFen: 13_000,
      today: TODAY,
      policy,
    });
    expect(at130).toEqual({
      surge: false,
      todayFen: 13_000,
      baselineTotalFen: 300_000,
      averageDaily: '100.00',
    });
    const over = detectSpendSurge({
      dailySpend: { ...steady(), [TODAY]: 13_001 },
      amountFen: 13_001,
      today: TODAY,
      policy,
    });
    expect(over).toMatchObject({
      surge: true,
      event: { level: 1, type: 'spend_surge' },
      warning: 'SPEND_SURGE',
    });
  });

  it('opens the event with the spend that crosses the line only; later spends that day carry the warning', () => {
    // 100.00 before (not above 130.00), then 50.00: 150.00 crosses.
    const crossing = detectSpendSurge({
      dailySpend: { ...steady(), [TODAY]: 15_000 },
      amountFen: 5_000,
      today: TODAY,
      policy,
    });
    expect(crossing).toMatchObject({
      surge: true,
      event: { level: 1, type: 'spend_surge' },
      warning: 'SPEND_SURGE',
    });
    // Already 150.00 before; 20.00 more: still a surge, no second event.
    const after = detectSpendSurge({
      dailySpend: { ...steady(), [TODAY]: 17_000 },
      amountFen: 2_000,
      today: TODAY,
      policy,
    });
    expect(after).toMatchObject({ surge: true, warning: 'SPEND_SURGE' });
    expect(after.event).toBeUndefined();
  });

  it('averages over all 30 days, counting days without spending as zero', () => {
    // 3000.00 on one day → average 100.00
    const r = detectSpendSurge({
      dailySpend: { '2026-10-20': 300_000, [TODAY]: 13_001 },
      amountFen: 13_001,
      today: TODAY,
      policy,
    });
    expect(r.surge).toBe(true);
  });

  it('has no baseline without spending in the previous 30 days: no surge', () => {
    expect(
      detectSpendSurge({ dailySpend: { [TODAY]: 900_000 }, amountFen: 900_000, today: TODAY, policy }).surge,
    ).toBe(false);
    // 31 days ago is outside the window.
    expect(
      detectSpendSurge({
        dailySpend: { '2026-10-15': 10_000, [TODAY]: 900_000 },
        amountFen: 900_000,
        today: TODAY,
        policy,
      }).surge,
    ).toBe(false);
    expect(
      detectSpendSurge({
        dailySpend: { '2026-10-16': 10_000, [TODAY]: 900_000 },
        amountFen: 900_000,
        today: TODAY,
        policy,
      }).surge,
    ).toBe(true);
  });

  it('walks the Shanghai calendar across month ends', () => {
    const keys = lookbackDays('2026-03-01', policy);
    expect(keys).toHaveLength(30);
    expect(keys[0]).toBe('2026-02-28');
    expect(keys[29]).toBe('2026-01-30');
  });

  it('prunes the map to today and the lookback window', () => {
    const pruned = pruneDailySpend(
      { ...steady(), '2026-10-15': 1, '2026-01-01': 2, [TODAY]: 5 },
      TODAY,
      policy,
    );
    expect(Object.keys(pruned)).toHaveLength(31);
    expect(pruned['2026-10-15']).toBeUndefined();
    expect(pruned[TODAY]).toBe(5);
  });
});
