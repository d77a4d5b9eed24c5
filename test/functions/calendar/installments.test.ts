/**
 * Calendar edges: installment dues falling in (leap) February. 3000.00 over 3 months at 1.5%/month:
 * 1030.15 (interest 45.00, principal 985.15), 1030.15 (30.22 / 999.93), 1030.14 (15.22 / 1014.92).
 */
import { createHarness, Harness, openAccount, rid } from '../../support/harness';
import { helpers } from './helpers';

let h: Harness;
const x = helpers(() => h);
beforeEach(async () => {
  h = await createHarness('2028-01-20T10:00:00+08:00');
  await openAccount(h);
  const r = await x.spend('3000.00');
  const { txnId } = r.body.ok ? r.body.data : { txnId: '' };
  const plan = await h.ok<{ firstDueDate: string }>('bill', 'convert', { requestId: rid(), txnId, term: 3 });
  expect(plan.firstDueDate).toBe('2028-02-10T23:59:59+08:00');
});
afterEach(() => h.close());

const payoff = async () =>
  (await h.ok<{ amount: string }>('bill', 'quote', { mode: 'payoff', channel: 'bank_card' })).amount;

it('payoff after installment 1 is paid: 2014.85 through 10 Feb 23:59:59.999, + 30.22 from 11 Feb 00:00', async () => {
  await x.travel('2028-02-05T09:00:00+08:00');
  expect((await x.repay('full')).body).toMatchObject({ ok: true, data: { amount: '1030.15' } });
  await h.at('2028-02-10T23:59:59.999+08:00');
  expect(await payoff()).toBe('2014.85');
  await h.at('2028-02-11T00:00:00+08:00');
  expect(await payoff()).toBe('2045.07');
  await h.at('2028-02-29T12:00:00+08:00');
  expect(await payoff()).toBe('2045.07');
  await h.at('2028-03-01T00:00:00+08:00'); // installment 2 (1030.15) now billed, due 10 Mar
  expect(await payoff()).toBe('2045.07');
  expect(await x.current()).toMatchObject({
    period: '2028-02',
    installments: '1030.15',
    dueDate: '2028-03-10T23:59:59+08:00',
  });
});

it('installment 1 unpaid: overdue 14 Feb; 1 Mar bills 19 leap-February days of interest on 985.15', async () => {
  await x.travel('2028-02-14T09:00:00+08:00');
  expect(await x.current()).toMatchObject({ status: 'overdue', overdueDays: 3 });
  await x.travel('2028-03-01T09:00:00+08:00');
  // interest: 985.15 × 0.05% × 19 (11..29 Feb) = 9.358925 → 9.36
  // balance: 985.15 carried principal + 45.00 carried installment interest + 9.36 + 1030.15 = 2069.66
  // minimum: 10% × 985.15 = 98.515 → 98.52, + 1030.15 + (45.00 + 9.36) = 1183.03 (≥ past due 1030.15)
  expect(await x.current()).toMatchObject({
    period: '2028-02',
    interest: '54.36',
    balance: '2069.66',
    minimumDue: '1183.03',
    status: 'overdue',
  });
});
