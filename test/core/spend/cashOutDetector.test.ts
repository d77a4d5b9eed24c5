import {
  detectCashOut,
  pruneCashOutWindow,
  type RecentSpend,
} from '../../../cloudfunctions/src/core/spend/cashOutDetector';
import { DEFAULT_POLICY_INPUT as policy } from '../../../cloudfunctions/src/core/policy';
import { atLocal, HOUR_MS } from '../../../cloudfunctions/src/core/time';

const NOW = atLocal(2026, 11, 15, 22);
const qr = (hoursAgo: number, amountFen: number): RecentSpend => ({
  at: NOW - hoursAgo * HOUR_MS,
  amountFen,
  category: 'personal_qr',
});

describe('cash-out pattern detector', () => {
  it('flags three personal_qr spends totalling 3000.00 within 24 h', () => {
    const r = detectCashOut({ current: qr(0, 100_000), previous: [qr(1, 100_000), qr(20, 100_000)], policy });
    expect(r).toEqual({
      flagged: true,
      count: 3,
      totalFen: 300_000,
      event: { level: 2, type: 'cash_out_pattern' },
      warning: 'CASH_OUT_SUSPECTED',
    });
  });

  it('does not flag a total of 2999.99', () => {
    const r = detectCashOut({ current: qr(0, 99_999), previous: [qr(1, 100_000), qr(2, 100_000)], policy });
    expect(r).toEqual({ flagged: false, count: 3, totalFen: 299_999 });
  });

  it('does not flag two spends however large', () => {
    expect(detectCashOut({ current: qr(0, 400_000), previous: [qr(1, 400_000)], policy }).flagged).toBe(
      false,
    );
  });

  it('a spend exactly 24 h old has left the window; one just inside still counts', () => {
    const outside = detectCashOut({
      current: qr(0, 100_000),
      previous: [qr(1, 100_000), qr(24, 100_000)],
      policy,
    });
    expect(outside).toMatchObject({ flagged: false, count: 2 });
    const inside = detectCashOut({
      current: qr(0, 100_000),
      previous: [qr(1, 100_000), { ...qr(24, 100_000), at: NOW - 24 * HOUR_MS + 1 }],
      policy,
    });
    expect(inside.flagged).toBe(true);
  });

  it('ignores other categories, and only a personal_qr spend can complete the pattern', () => {
    const shop = (h: number, a: number): RecentSpend => ({ ...qr(h, a), category: 'retail' });
    expect(
      detectCashOut({ current: qr(0, 100_000), previous: [shop(1, 100_000), qr(2, 200_000)], policy })
        .flagged,
    ).toBe(false);
    expect(
      detectCashOut({ current: shop(0, 100_000), previous: [qr(1, 100_000), qr(2, 200_000)], policy })
        .flagged,
    ).toBe(false);
  });

  it('prunes to personal_qr spends inside the window', () => {
    const spends = [qr(1, 1), qr(30, 2), { ...qr(2, 3), category: 'retail' }, qr(23, 4)];
    expect(pruneCashOutWindow(spends, NOW, policy).map((s) => s.amountFen)).toEqual([1, 4]);
  });
});
