/**
 * 还款: choose what to repay (本期全额 / 最低 / 自定义 / 全部结清) and from where (零钱 free, 银行卡 0.1%),
 * see the quote — amount, fee, total and where the money goes — before confirming; then the result.
 * Also the auto-debit switch.
 */
import type {
  BillSummaryData,
  QuoteData,
  QuoteRequest,
  RepayChannel,
  RepayData,
  RepayMode,
} from '../../../typings/api';
import {
  call,
  errorCode,
  errorDetail,
  errorMessage,
  loadFailure,
  newRequestId,
  outcomeUnknown,
} from '../../services/api';
import {
  ALLOCATION_TARGET,
  formatDay,
  formatMoney,
  isMoneyInput,
  normalizeMoney,
  REPAY_CHANNEL,
} from '../../utils/format';
import { dataset } from '../../utils/nav';

type State = 'loading' | 'empty' | 'ready' | 'done' | 'error';

interface ModeOption {
  value: RepayMode;
  label: string;
  sub: string;
}

function modes(s: BillSummaryData): ModeOption[] {
  const c = s.current && s.current.status !== 'paid' ? s.current : null;
  const list: ModeOption[] = [];
  if (c) {
    list.push({ value: 'full', label: '本期全额', sub: `¥${formatMoney(c.remaining)}` });
    // What the minimum still asks now (less what was paid); none once it is met.
    if (c.minimumOutstanding !== '0.00') {
      list.push({ value: 'minimum', label: '最低还款', sub: `¥${formatMoney(c.minimumOutstanding)}` });
    }
  }
  list.push({ value: 'payoff', label: '全部结清', sub: `¥${formatMoney(s.totalOwed)}` });
  list.push({ value: 'custom', label: '自定义', sub: '输入金额' });
  return list;
}

/**
 * What a refused quote shows, and with OVERPAYMENT the most a custom amount can be (tap to fill):
 * the maximum formatted, where the server's text has the bare figure.
 */
function quoteRefusal(err: unknown): { quoteError: string; maxAmount: string } {
  const max = errorCode(err) === 'OVERPAYMENT' ? errorDetail(err, 'maxAmount') : undefined;
  if (max === undefined) return { quoteError: errorMessage(err), maxAmount: '' };
  if (max === '0.00') {
    return { quoteError: '当前没有可按自定义金额还的欠款。分期剩余本金请选择「全部结清」。', maxAmount: '' };
  }
  // A plan running: what is owed beyond the maximum is its principal, which only 全部结清 pays.
  if (errorDetail(err, 'reason') === 'plan_payoff_only') {
    return {
      quoteError: `自定义金额最多可还 ¥${formatMoney(max)}，分期剩余本金请选择「全部结清」`,
      maxAmount: max,
    };
  }
  return { quoteError: `还款金额超过应还金额，最多可还 ¥${formatMoney(max)}`, maxAmount: max };
}

Component({
  data: {
    state: 'loading' as State,
    error: '',
    summary: null as BillSummaryData | null,
    dueText: '',
    modes: [] as ModeOption[],
    mode: 'full' as RepayMode,
    channel: 'balance' as RepayChannel,
    channels: [
      { value: 'balance', label: '零钱', sub: '免手续费' },
      { value: 'bank_card', label: '银行卡', sub: '手续费 0.1%' },
    ],
    amount: '',
    /** With OVERPAYMENT: the most a custom amount can be (fills the amount on tap). */
    maxAmount: '',
    quote: null as null | (QuoteData & { lines: { label: string; amount: string }[] }),
    quoting: false,
    quoteError: '',
    paying: false,
    payError: '',
    requestId: '',
    result: null as RepayData | null,
    autoDebit: { enabled: false, channel: 'balance' as RepayChannel },
    autoDebitLabel: REPAY_CHANNEL.balance,
  },
  methods: {
    onLoad() {
      void this.load();
    },
    async load() {
      this.setData({ state: 'loading', error: '' });
      try {
        const summary = await call('bill', 'summary', {});
        const list = modes(summary);
        this.setData({
          summary,
          dueText: summary.current ? formatDay(summary.current.dueDate) : '',
          modes: list,
          mode: list[0].value,
          autoDebit: summary.autoDebit,
          autoDebitLabel: REPAY_CHANNEL[summary.autoDebit.channel],
          state: summary.totalOwed === '0.00' ? 'empty' : 'ready',
        });
        if (summary.totalOwed !== '0.00') await this.requote();
      } catch (err) {
        this.setData(loadFailure(err, 'empty'));
      }
    },
    onRetry() {
      void this.load();
    },
    request(): QuoteRequest | null {
      const { mode, channel, amount } = this.data;
      if (mode !== 'custom') return { mode, channel };
      if (!isMoneyInput(amount)) return null;
      return { mode, channel, amount: normalizeMoney(amount) };
    },
    async requote() {
      const req = this.request();
      this.setData({ requestId: '', payError: '', maxAmount: '' });
      if (!req) {
        this.setData({ quote: null, quoteError: this.data.amount ? '请输入正确的金额（最多两位小数）' : '' });
        return;
      }
      this.setData({ quoting: true, quoteError: '' });
      try {
        const q = await call('bill', 'quote', req);
        // A later choice may have superseded this answer.
        if (JSON.stringify(this.request()) !== JSON.stringify(req)) return;
        this.setData({
          quoting: false,
          quote: {
            ...q,
            lines: q.allocation.map((a) => ({
              label: ALLOCATION_TARGET[a.target] ?? a.target,
              amount: a.amount,
            })),
          },
        });
      } catch (err) {
        if (JSON.stringify(this.request()) !== JSON.stringify(req)) return;
        this.setData({ quoting: false, quote: null, ...quoteRefusal(err) });
      }
    },
    onFillMax() {
      this.setData({ amount: this.data.maxAmount, maxAmount: '' });
      void this.requote();
    },
    onMode(e: WechatMiniprogram.BaseEvent) {
      this.setData({ mode: dataset<RepayMode>(e, 'value') });
      void this.requote();
    },
    onChannel(e: WechatMiniprogram.BaseEvent) {
      this.setData({ channel: dataset<RepayChannel>(e, 'value') });
      void this.requote();
    },
    onAmount(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ amount: e.detail.value, quote: null, quoteError: '', requestId: '' });
    },
    onAmountDone() {
      void this.requote();
    },
    async onConfirm() {
      const req = this.request();
      if (!req || !this.data.quote || this.data.paying) return;
      // One id per confirmed quote: retrying after a network failure cannot repay twice.
      const requestId = this.data.requestId || newRequestId('repay');
      this.setData({ paying: true, payError: '', requestId });
      try {
        const result = await call('bill', 'repay', { ...req, requestId });
        this.setData({ paying: false, state: 'done', result, requestId: '' });
      } catch (err) {
        this.setData({
          paying: false,
          payError: errorMessage(err),
          requestId: outcomeUnknown(err) ? requestId : '',
        });
      }
    },
    async onAutoDebit(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      await this.saveAutoDebit(e.detail.value === true, this.data.autoDebit.channel);
    },
    async onAutoDebitChannel() {
      const next: RepayChannel = this.data.autoDebit.channel === 'balance' ? 'bank_card' : 'balance';
      await this.saveAutoDebit(this.data.autoDebit.enabled, next);
    },
    async saveAutoDebit(enabled: boolean, channel: RepayChannel) {
      try {
        const r = await call('bill', 'autoDebit', { enabled, channel });
        this.setData({ autoDebit: r, autoDebitLabel: REPAY_CHANNEL[r.channel] });
        wx.showToast({ title: r.enabled ? '已开启到期自动还款' : '已关闭自动还款', icon: 'none' });
      } catch (err) {
        this.setData({ autoDebit: { ...this.data.autoDebit } });
        wx.showToast({ title: errorMessage(err), icon: 'none' });
      }
    },
    onDone() {
      wx.navigateBack({ fail: () => wx.reLaunch({ url: '/pages/home/index' }) });
    },
  },
});
