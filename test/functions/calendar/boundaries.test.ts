/**
 * Calendar edges: exact-second boundaries of the statement day (1st 00:00 China), the due date
 * (10th 23:59:59) and the grace end (13th 23:59:59), SPEC §5.
 * Interest = Σ over days after the due date of (principal unpaid at the END of that day) × 0.05%.
 */
import { createHarness, Harness, openAccount } from '../../support/harness';
import { helpers } from './helpers';

let h: Harness;
const x = helpers(() => h);
beforeEach(async () => {
  h = await createHarness('2026-11-05T10:00:00+08:00');
  await openAccount(h);
});
afterEach(() => h.close());

describe('statement day 1 Dec 00:00 China (= 30 Nov 16:00 UTC)', () => {
  it('a spend at 30 Nov 23:59:59.999 China is billed on 1 Dec; one at 1 Dec 00:00:00 China is not', async () => {
    await h.at('2026-11-30T23:59:59.999+08:00');
    expect((await x.spend('100.00')).body.ok).toBe(true);
    // 2026-11-30T16:00:00Z is 1 Dec 00:00:00 in Shanghai: already December's posting period.
    await h.at('2026-11-30T16:00:00Z');
    expect((await x.spend('200.00')).body.ok).toBe(true);
    await x.travel('2026-12-01T08:00:00+08:00');
    const s = await x.current();
    expect(s).toMatchObject({
      period: '2026-11',
      statementDate: '2026-12-01T00:00:00+08:00',
      principal: '100.00',
      balance: '100.00',
      minimumDue: '50.00', // 10% = 10.00 → floor 50.00
    });
    expect((await x.summary()).unbilled).toBe('200.00');
  });

  it('a spend at 30 Nov 15:59:59Z (= 23:59:59 China) still belongs to November', async () => {
    await h.at('2026-11-30T15:59:59Z');
    expect((await x.spend('300.00')).body.ok).toBe(true);
    await x.travel('2026-12-01T00:00:00+08:00');
    expect(await x.current()).toMatchObject({ period: '2026-11', principal: '300.00' });
    expect((await x.summary()).unbilled).toBe('0.00');
  });
});

describe('grace end 13 Dec 23:59:59 (exact seconds on both sides)', () => {
  it('minimum paid at 13 Dec 23:59:59.999 → on time; paid at 14 Dec 00:00:00.000 → overdue record', async () => {
    await openAccount(h, 'u_bob');
    expect((await x.spend('1000.00')).body.ok).toBe(true);
    expect((await x.spend('1000.00', 'u_bob')).body.ok).toBe(true);
    await x.travel('2026-12-13T23:59:59.999+08:00');
    expect((await x.repay('minimum')).body).toMatchObject({ ok: true, data: { amount: '100.00' } });
    await h.at('2026-12-14T00:00:00+08:00');
    expect((await x.repay('minimum', 'balance', undefined, 'u_bob')).body).toMatchObject({ ok: true });
    await x.travel('2026-12-14T09:00:00+08:00');
    expect(await h.store.find('creditRecords', { openid: 'u_alice' })).toHaveLength(0);
    expect(await h.store.find('creditRecords', { openid: 'u_bob' })).toHaveLength(1);
    expect(await x.current()).toMatchObject({ status: 'open', overdueDays: 0, remaining: '900.00' });

    // Interest billed on 1 Jan (days 11..31 Dec, principal unpaid at each day's END):
    // alice: 11,12 Dec at 1000.00 (0.50 each) + 13..31 Dec (19 days) at 900.00 (0.45) = 1.00 + 8.55 = 9.55
    // bob:   11,12,13 Dec at 1000.00 = 1.50 + 14..31 Dec (18 days) at 900.00 = 8.10 → 9.60
    await x.travel('2027-01-01T09:00:00+08:00');
    expect(await x.current()).toMatchObject({ interest: '9.55', balance: '909.55' });
    expect(await x.current('u_bob')).toMatchObject({ interest: '9.60', balance: '909.60' });
  });

  it('paid in full at 13 Dec 23:59:59.999 → interest-free, no January statement', async () => {
    await x.spend('1000.00');
    await x.travel('2026-12-13T23:59:59.999+08:00');
    expect((await x.repay('full')).body).toMatchObject({ ok: true, data: { owedAfter: '0.00' } });
    await x.travel('2027-01-02T09:00:00+08:00');
    expect((await x.current()).period).toBe('2026-11');
    expect((await x.summary()).totalOwed).toBe('0.00');
  });

  it('paid in full at 14 Dec 00:00:00 → overdue record, and 1 Jan bills 3 days × 0.50 = 1.50', async () => {
    await x.spend('1000.00');
    await h.at('2026-12-14T00:00:00+08:00');
    expect((await x.repay('full')).body).toMatchObject({ ok: true, data: { amount: '1000.00' } });
    expect(await h.store.find('creditRecords', { openid: 'u_alice' })).toHaveLength(1);
    await x.travel('2027-01-01T09:00:00+08:00');
    expect(await x.current()).toMatchObject({ period: '2026-12', interest: '1.50', balance: '1.50' });
  });

  it('overdueDays: 3 at 14 Dec 00:00:00 and 00:00:01, 4 on 15 Dec', async () => {
    await x.spend('1000.00');
    await x.travel('2026-12-14T00:00:00+08:00');
    expect(await x.current()).toMatchObject({ status: 'overdue', overdueDays: 3 });
    await h.at('2026-12-14T00:00:01+08:00');
    expect((await x.current()).overdueDays).toBe(3);
    await h.at('2026-12-15T00:00:01+08:00');
    expect((await x.current()).overdueDays).toBe(4);
  });
});

describe('due date 10 Dec 23:59:59 and the day counting', () => {
  const partial = async (iso: string) => {
    await x.spend('1000.00');
    await h.at(iso);
    expect((await x.repay('custom', 'balance', '100.00')).body).toMatchObject({ ok: true });
    await x.travel('2027-01-01T09:00:00+08:00');
    return (await x.current()).interest;
  };
  // SPEC example: 900.00 × 0.05% × 21 days (11..31 Dec) = 9.45
  it('100.00 paid at 10 Dec 23:59:59.999 → 9.45', async () => {
    expect(await partial('2026-12-10T23:59:59.999+08:00')).toBe('9.45');
  });
  it('100.00 paid at 11 Dec 23:59:59.999 → still 9.45 (unpaid at no day end after the 10th but 900.00)', async () => {
    expect(await partial('2026-12-11T23:59:59.999+08:00')).toBe('9.45');
  });
  it('100.00 paid at 12 Dec 00:00:00 → 0.50 (11 Dec) + 20 × 0.45 = 9.50', async () => {
    expect(await partial('2026-12-12T00:00:00+08:00')).toBe('9.50');
  });
});

describe('interest-free period and trailing interest', () => {
  it('minimum on 5 Dec, the rest on 13 Dec 23:59:59 (inside grace) → paid in full by grace: no interest', async () => {
    await x.spend('1000.00');
    await x.travel('2026-12-05T09:00:00+08:00');
    expect((await x.repay('minimum')).body).toMatchObject({ ok: true });
    await x.travel('2026-12-13T23:59:59+08:00');
    expect((await x.repay('full')).body).toMatchObject({
      ok: true,
      data: { amount: '900.00', owedAfter: '0.00' },
    });
    await x.travel('2027-01-05T09:00:00+08:00');
    expect((await x.current()).period).toBe('2026-11');
    expect((await x.summary()).totalOwed).toBe('0.00');
  });

  it('documents (SPEC ambiguous): the 1 Jan statement paid in full on 5 Jan still bills 1.80 on 1 Feb', async () => {
    // 1 Jan: 900.00 carried (from December's statement, never paid in full) + 9.45 = 909.45.
    // Paid in full 5 Jan 12:00, inside January's grace. The carried principal bore interest at the
    // end of 1..4 Jan: 4 × 0.45 = 1.80, billed on 1 Feb. The code reads "until repaid" for the
    // December principal; a literal reading of "paid in full by the end of grace: no interest" for
    // the January statement would bill nothing.
    await x.spend('1000.00');
    await h.at('2026-12-10T12:00:00+08:00');
    expect((await x.repay('custom', 'balance', '100.00')).body.ok).toBe(true);
    await x.travel('2027-01-05T12:00:00+08:00');
    expect((await x.repay('full')).body).toMatchObject({
      ok: true,
      data: { amount: '909.45', owedAfter: '1.80' },
    });
    await x.travel('2027-02-01T09:00:00+08:00');
    expect(await x.current()).toMatchObject({ period: '2027-01', interest: '1.80', balance: '1.80' });
  });
});
