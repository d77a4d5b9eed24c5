/**
 * Calendar edges: interest windows in months of 28/29/30/31 days, the year boundary, and the freeze day
 * in a leap February. Interest per day = principal × 0.05%; 900.00 → 0.45/day, 1000.00 → 0.50/day.
 */
import { createHarness, Harness, openAccount } from '../../support/harness';
import { helpers } from './helpers';

let h: Harness;
const x = helpers(() => h);
afterEach(() => h.close());

/** Spend 1000.00 in the month before `stmtMonth`, pay 100.00 on its 10th, read the next statement. */
async function window(spendIso: string, payIso: string, nextIso: string): Promise<string> {
  h = await createHarness(spendIso);
  await openAccount(h);
  expect((await x.spend('1000.00')).body.ok).toBe(true);
  await x.travel(payIso);
  expect((await x.repay('custom', 'balance', '100.00')).body).toMatchObject({ ok: true });
  await x.travel(nextIso);
  return (await x.current()).interest;
}

describe('interest window = days after the 10th up to the last day of the month', () => {
  it('December (31 days): 11..31 Dec = 21 days → 9.45', async () => {
    expect(
      await window('2026-11-05T10:00:00+08:00', '2026-12-10T12:00:00+08:00', '2027-01-01T09:00:00+08:00'),
    ).toBe('9.45');
  });
  it('November (30 days): 11..30 Nov = 20 days → 9.00', async () => {
    expect(
      await window('2026-10-05T10:00:00+08:00', '2026-11-10T12:00:00+08:00', '2026-12-01T09:00:00+08:00'),
    ).toBe('9.00');
  });
  it('February 2027 (28 days): 11..28 Feb = 18 days → 8.10', async () => {
    expect(
      await window('2027-01-05T10:00:00+08:00', '2027-02-10T12:00:00+08:00', '2027-03-01T09:00:00+08:00'),
    ).toBe('8.10');
  });
  it('February 2028 (leap, 29 days): 11..29 Feb = 19 days → 8.55', async () => {
    expect(
      await window('2028-01-05T10:00:00+08:00', '2028-02-10T12:00:00+08:00', '2028-03-01T09:00:00+08:00'),
    ).toBe('8.55');
  });
  it('carried principal bears interest all 31 days of January: 810.00 × 31 × 0.05% = 12.555 → 12.56', async () => {
    // Dec statement 1000.00, 100.00 paid 10 Dec → Jan statement 909.45 (900.00 carried + 9.45).
    // Carried principal bears interest every day of January (1..31); interest is simple.
    expect(
      await window('2026-11-05T10:00:00+08:00', '2026-12-10T12:00:00+08:00', '2027-01-01T09:00:00+08:00'),
    ).toBe('9.45');
    expect((await x.repay('minimum')).body).toMatchObject({ ok: true, data: { amount: '99.45' } });
    // minimum 99.45 = 90.00 (10% of 900.00) + 9.45, paid 1 Jan 09:00: interest first (9.45), then
    // 90.00 of principal → 810.00 unpaid at the end of every January day.
    await x.travel('2027-02-01T09:00:00+08:00');
    // 1 Jan end: 810.00 unpaid (payment at 09:00 on 1 Jan) → 31 days × 810.00 × 0.05% = 12.555 → 12.56
    expect(await x.current()).toMatchObject({ interest: '12.56', balance: '822.56' });
  });
});

describe('year boundary: the yearly spend total resets on 1 January China time', () => {
  const openWithIncome = async (start: string) => {
    h = await createHarness(start);
    await h.setProfile('u_alice', {});
    await h.ok('credit', 'apply', { channel: 'checkout', annualIncome: '1000.00' });
  };
  it('800.00 at 31 Dec 23:59:59 China, 300.00 refused then; allowed at 1 Jan 00:00:00 China (31 Dec 16:00Z)', async () => {
    await openWithIncome('2026-12-20T10:00:00+08:00');
    await h.at('2026-12-31T23:59:59+08:00');
    expect((await x.spend('800.00')).body.ok).toBe(true);
    expect((await x.spend('300.00')).body).toMatchObject({
      ok: false,
      error: { code: 'INCOME_PROOF_REQUIRED' },
    });
    await h.at('2026-12-31T16:00:00Z');
    expect((await x.spend('300.00')).body.ok).toBe(true);
    // 2027: 300.00 so far; 700.00 more is exactly the 1000.00 ceiling, 0.01 beyond is refused.
    expect((await x.spend('700.01')).body).toMatchObject({
      ok: false,
      error: { code: 'INCOME_PROOF_REQUIRED' },
    });
    expect((await x.spend('700.00')).body.ok).toBe(true);
  });
  it('at 1 Jan 07:00 China (still 31 Dec in UTC) the new year has begun', async () => {
    await openWithIncome('2026-12-20T10:00:00+08:00');
    await h.at('2026-12-31T12:00:00+08:00');
    expect((await x.spend('1000.00')).body.ok).toBe(true);
    await h.at('2027-01-01T07:00:00+08:00');
    expect((await x.spend('1000.00')).body.ok).toBe(true);
  });
  it('December purchases become the 1 Jan statement of period 2026-12, due 10 Jan 2027', async () => {
    h = await createHarness('2026-12-05T10:00:00+08:00');
    await openAccount(h);
    await h.at('2026-12-31T23:59:59+08:00');
    await x.spend('500.00');
    await x.travel('2027-01-01T00:00:00+08:00');
    expect(await x.current()).toMatchObject({
      period: '2026-12',
      statementDate: '2027-01-01T00:00:00+08:00',
      dueDate: '2027-01-10T23:59:59+08:00',
      graceEndsAt: '2027-01-13T23:59:59+08:00',
      principal: '500.00',
    });
  });
});

describe('freeze after 30 days overdue in a leap February', () => {
  it('due 10 Feb 2028, nothing paid: overdueDays 30 on 12 Mar (not frozen), frozen on 13 Mar 2028', async () => {
    h = await createHarness('2028-01-05T10:00:00+08:00');
    await openAccount(h);
    await x.spend('1000.00');
    // Whole calendar days since 10 Feb: 11..29 Feb = 19, 1..12 Mar = 12 → 31 on 12 Mar? Code counts
    // daysBetween − 1: 10 Feb → 12 Mar = 31 calendar days → 30; 13 Mar → 31 (> 30 → frozen).
    await x.travel('2028-03-12T12:00:00+08:00');
    expect((await x.current()).overdueDays).toBe(30);
    expect((await h.ok<{ account: { status: string } }>('credit', 'status')).account.status).toBe('active');
    await x.travel('2028-03-13T00:00:00+08:00');
    expect((await h.ok<{ account: { status: string } }>('credit', 'status')).account.status).toBe('frozen');
  });
});
