import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { mount, tap, text } from './support/harness';

const offers = () => new FakeApi().ok('bill', 'installmentOffers', { offers: fx.offers });

describe('installment', () => {
  it('loads the offers of the statement and shows monthly and annualised rates side by side', async () => {
    expect(
      text(
        await mount('installment', new FakeApi().pending('bill', 'installmentOffers'), { statementId: 's' }),
      ),
    ).toContain('加载中');
    const api = offers();
    const page = await mount('installment', api, { statementId: 'st_2025_02' });
    expect(api.callsTo('bill', 'installmentOffers')).toEqual([{ statementId: 'st_2025_02' }]);
    const t = text(page);
    expect(t).toContain('1,030.15');
    expect(t).toContain('月利率 1.50%');
    expect(t).toContain('年化利率（单利） 18.00%');
    expect(t).toContain('复利 19.56%');
    expect(t).toContain('总利息 90.44');
    expect(t).toContain('3/3');
    // The annualised rate is at least as prominent as the monthly one: same element class, same size.
    const monthly = page.querySelector('.monthly-rate')!.dom!;
    const apr = page.querySelector('.apr')!.dom!;
    expect(apr.className.replace('apr', '')).toBe(monthly.className.replace('monthly-rate', ''));
  });

  it('switches term and shows the full schedule', async () => {
    const page = await mount('installment', offers(), { statementId: 'st_2025_02' });
    await tap(page, '.term-12');
    const t = text(page);
    expect(t).toContain('275.04');
    expect(t).toContain('12/12');
    expect(t).toContain('总利息 300.46');
    expect(t).toContain('确认分 12 期');
  });

  it('converts a purchase with a requestId and shows the plan', async () => {
    const api = offers().ok('bill', 'convert', {
      planId: 'pl_1',
      term: 6,
      principal: '3000.00',
      monthlyPayment: '526.58',
      totalInterest: '159.45',
      firstDueDate: '2025-03-10T23:59:59+08:00',
    });
    const page = await mount('installment', api, { txnId: 'tx_jd' });
    expect(api.callsTo('bill', 'installmentOffers')).toEqual([{ txnId: 'tx_jd' }]);
    await tap(page, '.term-6');
    await tap(page, '.convert-button');
    const [req] = api.callsTo('bill', 'convert');
    expect(req).toMatchObject({ txnId: 'tx_jd', term: 6 });
    expect(req.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(text(page)).toContain('分期成功');
    expect(text(page)).toContain('首期还款日 2025年3月10日');
  });

  it('uses the current statement when opened without a target; empty when nothing can be split', async () => {
    const api = offers().ok('bill', 'summary', fx.summary);
    await mount('installment', api);
    expect(api.callsTo('bill', 'installmentOffers')).toEqual([{ statementId: 'st_2025_02' }]);
    const none = await mount('installment', new FakeApi().ok('bill', 'summary', fx.summaryNothing));
    expect(text(none)).toContain('当前没有可分期的账单');
  });

  it('shows NOT_CONVERTIBLE as empty with its message, other errors as errors', async () => {
    const refused = await mount(
      'installment',
      new FakeApi().fail('bill', 'installmentOffers', {
        code: 'NOT_CONVERTIBLE',
        message: '账单已过宽限期，无法分期',
      }),
      { statementId: 'st_2025_01' },
    );
    expect(text(refused)).toContain('账单已过宽限期，无法分期');
    const broken = await mount('installment', new FakeApi().offline('bill', 'installmentOffers'), {
      statementId: 's',
    });
    expect(text(broken)).toContain('加载失败');
  });

  it('shows a refused conversion', async () => {
    const api = offers().fail('bill', 'convert', { code: 'ALREADY_CONVERTED', message: '该账单已办理分期' });
    const page = await mount('installment', api, { statementId: 'st_2025_02' });
    await tap(page, '.convert-button');
    expect(text(page)).toContain('该账单已办理分期');
  });

  it('shows the early-payoff rate when the locked-fee policy is on', async () => {
    const locked = fx.offers.map((o) => ({
      ...o,
      earlyPayoffAprSimple: '31.72',
      earlyPayoffAprCompound: '36.50',
    }));
    const page = await mount(
      'installment',
      new FakeApi().ok('bill', 'installmentOffers', { offers: locked }),
      {
        statementId: 's',
      },
    );
    expect(text(page)).toContain('年化利率为 31.72%');
  });

  it('with the locked-fee policy on, the footnote does not contradict the early-payoff warning', async () => {
    const locked = fx.offers.map((o) => ({
      ...o,
      earlyPayoffAprSimple: '53.61',
      earlyPayoffAprCompound: '68.51',
    }));
    const page = await mount(
      'installment',
      new FakeApi().ok('bill', 'installmentOffers', { offers: locked }),
      {
        statementId: 'st_2025_02',
      },
    );
    const t = text(page);
    expect(t).toContain('提前还款仍需支付全部期数的利息');
    expect(t).toContain('提前还款需支付剩余本金及全部期数的利息');
    expect(t).not.toContain('提前还款只需支付剩余本金和当期利息');
  });
});
