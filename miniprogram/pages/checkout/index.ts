/**
 * A simulated merchant checkout: pick a sample merchant, pay with 分付 (pay.spend), see the result or
 * the refusal with its Chinese message. Some merchants are chosen so the spending rules refuse them.
 */
import type { Merchant, SpendData, SpendWarning } from '../../../typings/api';
import { call, errorCode, errorMessage, newRequestId, outcomeUnknown } from '../../services/api';
import { formatMoney, isMoneyInput, normalizeMoney } from '../../utils/format';
import { dataset, go } from '../../utils/nav';
import { MERCHANTS, type SampleMerchant } from './merchants';

type State = 'loading' | 'empty' | 'ready' | 'paid' | 'error';

const WARNING_TEXT: Record<SpendWarning, string> = {
  SPEND_SURGE: '今日消费明显高于近 30 日平均水平，已向你发送安全提醒。',
  CASH_OUT_SUSPECTED: '检测到疑似套现的消费模式，额度已临时下调，可在「安全与申诉」中申诉。',
};

const view = (m: SampleMerchant) => ({ ...m, amountText: formatMoney(m.amount) });

Component({
  data: {
    state: 'loading' as State,
    error: '',
    available: '',
    okMerchants: MERCHANTS.filter((m) => m.refusedBy === '').map(view),
    refusedMerchants: MERCHANTS.filter((m) => m.refusedBy !== '').map(view),
    selectedId: MERCHANTS[0].id,
    selectedName: MERCHANTS[0].name,
    amount: MERCHANTS[0].amount,
    city: MERCHANTS[0].city ?? '',
    paying: false,
    refusal: null as null | { code: string; message: string },
    canOpen: false,
    receipt: null as (SpendData & { merchant: string }) | null,
    warnings: [] as string[],
    requestId: '',
  },
  methods: {
    onLoad() {
      void this.load();
    },
    async load() {
      this.setData({ state: 'loading', error: '' });
      try {
        const status = await call('credit', 'status', {});
        if (!status.account) this.setData({ state: 'empty', canOpen: status.canApply });
        else this.setData({ state: 'ready', available: status.account.available });
      } catch (err) {
        this.setData({ state: 'error', error: errorMessage(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    async refreshAvailable() {
      try {
        const status = await call('credit', 'status', {});
        if (status.account) this.setData({ available: status.account.available });
      } catch {
        // The amount shown stays; the next payment answers with the current one.
      }
    },
    onRisk() {
      go('risk');
    },
    onRepay() {
      go('repay');
    },
    onOpen() {
      go('open', { channel: 'checkout' });
    },
    onPick(e: WechatMiniprogram.BaseEvent) {
      const m = MERCHANTS.find((x) => x.id === dataset<string>(e, 'id'));
      if (!m) return;
      this.setData({
        selectedId: m.id,
        selectedName: m.name,
        amount: m.amount,
        city: m.city ?? '',
        refusal: null,
        requestId: '',
      });
    },
    onAmount(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ amount: e.detail.value, refusal: null, requestId: '' });
    },
    onCity(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ city: e.detail.value, refusal: null, requestId: '' });
    },
    async onPay() {
      if (this.data.paying) return;
      const sample = MERCHANTS.find((m) => m.id === this.data.selectedId) ?? MERCHANTS[0];
      if (!isMoneyInput(this.data.amount)) {
        this.setData({ refusal: { code: '', message: '请输入正确的金额（元，最多两位小数）' } });
        return;
      }
      const merchant: Merchant = {
        id: sample.id,
        name: sample.name,
        category: sample.category,
        scene: sample.scene,
      };
      // One id per attempt: a double tap or a retry after a timeout cannot pay twice.
      const requestId = this.data.requestId || newRequestId('pay');
      const city = this.data.city.trim();
      this.setData({ paying: true, refusal: null, requestId });
      try {
        const receipt = await call('pay', 'spend', {
          requestId,
          amount: normalizeMoney(this.data.amount),
          merchant,
          ...(city ? { city } : {}),
        });
        this.setData({
          state: 'paid',
          paying: false,
          receipt: { ...receipt, merchant: sample.name },
          warnings: receipt.warnings.map((w) => WARNING_TEXT[w] ?? w),
          available: receipt.available,
          requestId: '',
        });
      } catch (err) {
        const code = errorCode(err) ?? '';
        this.setData({
          paying: false,
          refusal: { code, message: errorMessage(err) },
          // An unknown outcome keeps the id so a retry is idempotent. So does a verification
          // refusal: paying the same again must not open another risk event (its retry is answered
          // from the first); changing the amount, city or merchant starts a new one.
          requestId: outcomeUnknown(err) || code === 'VERIFICATION_REQUIRED' ? requestId : '',
        });
        // A refusal may have changed what is available (a risk event lowers the quota).
        if (!outcomeUnknown(err)) void this.refreshAvailable();
      }
    },
    onAgain() {
      this.setData({ state: 'ready', receipt: null, warnings: [] });
    },
    onHome() {
      wx.navigateBack({ fail: () => wx.reLaunch({ url: '/pages/home/index' }) });
    },
  },
});
