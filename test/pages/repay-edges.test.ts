import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import * as fs from 'fs';
import * as path from 'path';
import { exists, fire, mount, MP_ROOT, tap, text, type Page } from './support/harness';
import { setTransport } from '../../miniprogram/services/api';
import { TransportError, type Transport } from '../../miniprogram/services/transport';

const textOf = (page: Page, sel: string) => text(page.querySelector(sel) as unknown as Page);

/** Repay: what the amounts say, refusals, answers that arrive late, retries, and screen readers. */
describe('repay: amounts, refusals and retries', () => {
  it('the 最低还款 chip shows the amount that will actually be charged after a partial payment', async () => {
    // Statement of 1,286.50, minimum 128.65, 100.00 already repaid: server quotes minimum = 28.65.
    const partly = { ...fx.statement, paid: '100.00', remaining: '1186.50', minimumOutstanding: '28.65' };
    const api = new FakeApi()
      .ok('bill', 'summary', { ...fx.summary, current: partly, totalOwed: '1506.50' })
      .ok('bill', 'quote', (req) =>
        req.mode === 'minimum'
          ? {
              amount: '28.65',
              fee: '0.00',
              total: '28.65',
              allocation: [{ target: 'billed_principal', amount: '28.65' }],
            }
          : {
              amount: '1186.50',
              fee: '0.00',
              total: '1186.50',
              allocation: [{ target: 'billed_principal', amount: '1186.50' }],
            },
      );
    const page = await mount('repay', api);
    await tap(page, '.mode-minimum');
    expect(textOf(page, '.quote')).toContain('还款金额 28.65');
    // The chip says what the button charges, not the statement's original minimum.
    expect(textOf(page, '.mode-minimum')).toContain('¥28.65');
    expect(textOf(page, '.mode-minimum')).not.toContain('128.65');
  });

  it('custom amount refused with OVERPAYMENT maxAmount "0.00" points to an option that exists on this page', async () => {
    // Only an installment plan is owed: current statement paid, nothing unbilled.
    const api = new FakeApi()
      .ok('bill', 'summary', {
        current: fx.paidStatement,
        unbilled: '0.00',
        totalOwed: '2014.85',
        autoDebit: { enabled: false, channel: 'balance' },
      })
      .ok('bill', 'quote', (req) => {
        if (req.mode === 'custom') throw new Error('unused');
        return {
          amount: '2014.85',
          fee: '0.00',
          total: '2014.85',
          allocation: [{ target: 'installment', amount: '2014.85' }],
        };
      });
    const page = await mount('repay', api);
    api.fail('bill', 'quote', {
      code: 'OVERPAYMENT',
      // the real server message (core/repayment/quote.ts)
      message: '当前没有可自定义还款的账单或消费，分期剩余本金请选择“全部结清”',
      details: { maxAmount: '0.00' },
    });
    await tap(page, '.mode-custom');
    await fire(page, '.amount-input', 'change', { value: '100' });
    await fire(page, '.amount-input', 'blur', { value: '100' });
    const err = textOf(page, '.quote-error');
    expect(err).toContain('全部结清');
    expect(exists(page, '.fill-max')).toBe(false);
  });

  it('OVERPAYMENT shows the maximum from details.maxAmount, formatted like every other amount', async () => {
    const api = new FakeApi().ok('bill', 'summary', fx.summary).ok('bill', 'quote', fx.quoteFull);
    const page = await mount('repay', api);
    api.fail('bill', 'quote', {
      code: 'OVERPAYMENT',
      message: '还款金额超过应还金额，最多可还 1606.50 元',
      details: { maxAmount: '1606.50' },
    });
    await tap(page, '.mode-custom');
    await fire(page, '.amount-input', 'change', { value: '5000' });
    await fire(page, '.amount-input', 'blur', { value: '5000' });
    const err = textOf(page, '.quote-error');
    expect(err).toContain('最多可还 ¥1,606.50');
    api.ok('bill', 'quote', { ...fx.quoteFull, amount: '1606.50', total: '1606.50' });
    await tap(page, '.fill-max');
    expect(page.instance.data.amount).toBe('1606.50');
    expect(textOf(page, '.quote')).toContain('1,606.50');
  });

  it('OVERPAYMENT with a plan running says the rest is plan principal, for 全部结清 (review 5)', async () => {
    const api = new FakeApi().ok('bill', 'summary', fx.summary).ok('bill', 'quote', fx.quoteFull);
    const page = await mount('repay', api);
    api.fail('bill', 'quote', {
      code: 'OVERPAYMENT',
      message: '自定义金额最多可还 1530.15 元，分期剩余本金请选择“全部结清”',
      details: { maxAmount: '1530.15', reason: 'plan_payoff_only' },
    });
    await tap(page, '.mode-custom');
    await fire(page, '.amount-input', 'change', { value: '1600' });
    await fire(page, '.amount-input', 'blur', { value: '1600' });
    const err = textOf(page, '.quote-error');
    expect(err).toContain('最多可还 ¥1,530.15');
    expect(err).toContain('全部结清');
    expect(err).not.toContain('超过应还金额');
    expect(exists(page, '.fill-max')).toBe(true);
  });

  it('a late refusal of an older quote does not replace the quote of the current choice', async () => {
    const api = new FakeApi().ok('bill', 'summary', fx.summary).ok('bill', 'quote', fx.quoteFull);
    const page = await mount('repay', api);
    let releaseOld: () => void = () => undefined;
    const slow: Transport = (fn, payload) => {
      if (fn === 'bill' && payload.action === 'quote' && payload.mode === 'custom') {
        return new Promise((resolve) => {
          releaseOld = () =>
            resolve({
              ok: false,
              error: { code: 'OVERPAYMENT', message: '还款金额超过应还金额，最多可还 1606.50 元' },
            });
        });
      }
      return api.transport(fn, payload);
    };
    setTransport(slow);
    await tap(page, '.mode-custom');
    await fire(page, '.amount-input', 'change', { value: '99999' });
    await fire(page, '.amount-input', 'blur', { value: '99999' });
    await tap(page, '.mode-full'); // user changes mind; full quote answers at once
    expect(textOf(page, '.quote')).toContain('1,286.50');
    releaseOld();
    await new Promise((r) => setTimeout(r, 10));
    const t = textOf(page, '.quote');
    expect(t).not.toContain('超过应还金额');
    expect(t).toContain('1,286.50');
  });

  it('retrying after an unreadable answer (BAD_RESPONSE, e.g. HTTP 502 page) reuses the requestId', async () => {
    const api = new FakeApi()
      .ok('bill', 'summary', fx.summary)
      .ok('bill', 'quote', fx.quoteFull)
      .ok('bill', 'repay', {
        repaymentId: 'rp_1',
        amount: '1286.50',
        fee: '0.00',
        total: '1286.50',
        owedAfter: '320.00',
      });
    const page = await mount('repay', api);
    let first = true;
    setTransport((fn, payload) => {
      if (fn === 'bill' && payload.action === 'repay' && first) {
        first = false;
        api.calls.push({ fn, action: 'repay', params: { ...payload } });
        // the gateway may have processed the repayment; the answer just did not come back readable
        return Promise.reject(new TransportError('服务返回了无法识别的内容（HTTP 502）', 'BAD_RESPONSE'));
      }
      return api.transport(fn, payload);
    });
    await tap(page, '.confirm-button');
    expect(text(page)).toContain('无法识别');
    await tap(page, '.confirm-button');
    const ids = api.callsTo('bill', 'repay').map((c) => c.requestId);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
  });

  it('exposes which mode and which channel are selected to screen readers (WXML source)', () => {
    // miniprogram-simulate drops aria-* from its DOM, so read the template: the selectable chips and
    // channel rows are bare <view bind:tap> with the selection only in a CSS class.
    const wxml = fs.readFileSync(path.join(MP_ROOT, 'pages/repay/index.wxml'), 'utf8');
    const modeChip = wxml.split('\n').find((l) => l.includes('bind:tap="onMode"')) ?? '';
    const channelRow = wxml.split('\n').find((l) => l.includes('bind:tap="onChannel"')) ?? '';
    expect(modeChip).toMatch(/aria-role=|aria-checked=|aria-selected=/);
    expect(channelRow).toMatch(/aria-role=|aria-checked=|aria-selected=/);
  });
});
