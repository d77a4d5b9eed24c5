/**
 * 开通: pick the channel, fill what that channel needs (wallet: occupation + income; checkout: income;
 * invite: nothing), consent, apply. The answer — approved or rejected — lists every scoring dimension.
 */
import type {
  Channel,
  CreditApplyData,
  CreditApplyRequest,
  Dimension,
  DimensionKey,
} from '../../../typings/api';
import { call, errorCode, errorMessage } from '../../services/api';
import {
  CHANNEL_LABEL,
  formatDate,
  formatMoney,
  isMoneyInput,
  normalizeMoney,
  REJECTION_REASON,
} from '../../utils/format';
import { dataset, go } from '../../utils/nav';

type State = 'loading' | 'empty' | 'form' | 'result' | 'error';

const OCCUPATIONS = ['企业职员', '公务员/事业单位', '教师', '医护人员', '个体经营', '自由职业', '其他'];

interface ChannelOption {
  value: Channel;
  label: string;
  desc: string;
  disabled: boolean;
}

interface DimensionView {
  key: DimensionKey;
  label: string;
  value: string;
  threshold: string;
  weight: number;
  passed: boolean;
  suggestion: string;
}

const UNITS: Record<DimensionKey, (v: string | number) => string> = {
  payScore: (v) => `${v} 分`,
  activity: (v) => `${v} 笔/月`,
  stability: (v) => `¥${formatMoney(String(v))}`,
  social: (v) => `${v} 位好友`,
  creditHistory: (v) => `${v} 次逾期`,
};

function dimensionView(d: Dimension): DimensionView {
  const unit = UNITS[d.key] ?? ((v: string | number) => String(v));
  return {
    key: d.key,
    label: d.label,
    value: unit(d.value),
    threshold: d.key === 'creditHistory' ? '无逾期' : `≥ ${unit(d.threshold)}`,
    weight: d.weight,
    passed: d.passed,
    suggestion: d.suggestion ?? '',
  };
}

function channels(invited: boolean): ChannelOption[] {
  return [
    { value: 'wallet', label: CHANNEL_LABEL.wallet, desc: '钱包 › 分付', disabled: false },
    {
      value: 'invite',
      label: CHANNEL_LABEL.invite,
      desc: invited ? '已收到邀请' : '需收到邀请',
      disabled: !invited,
    },
    { value: 'checkout', label: CHANNEL_LABEL.checkout, desc: '付款时开通', disabled: false },
  ];
}

Component({
  data: {
    state: 'loading' as State,
    error: '',
    channels: channels(false),
    channel: 'wallet' as Channel,
    occupations: OCCUPATIONS,
    occupation: '',
    annualIncome: '',
    agree: false,
    submitting: false,
    formError: '',
    canApply: true,
    reapplyDate: '',
    result: null as CreditApplyData | null,
    approved: false,
    reasons: [] as string[],
    dimensions: [] as DimensionView[],
    resultReapplyDate: '',
    candidatePoolDate: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      void this.load(query.channel);
    },
    async load(preferred?: string) {
      this.setData({ state: 'loading', error: '' });
      try {
        const status = await call('credit', 'status', {});
        if (status.account) {
          this.setData({ state: 'empty' });
          return;
        }
        const invited = status.invited === true;
        const wanted =
          preferred === 'checkout' || preferred === 'invite' || preferred === 'wallet' ? preferred : null;
        const channel: Channel =
          wanted && (wanted !== 'invite' || invited) ? wanted : invited ? 'invite' : 'wallet';
        this.setData({
          state: 'form',
          channels: channels(invited),
          channel,
          canApply: status.canApply,
          reapplyDate: formatDate(status.reapplyAt),
        });
      } catch (err) {
        this.setData({ state: 'error', error: errorMessage(err) });
      }
    },
    onRetry() {
      void this.load(this.data.channel);
    },
    onChannel(e: WechatMiniprogram.BaseEvent) {
      const value = dataset<Channel>(e, 'value');
      const option = this.data.channels.find((c) => c.value === value);
      if (!option || option.disabled) return;
      this.setData({ channel: value, formError: '' });
    },
    onOccupation(e: WechatMiniprogram.BaseEvent) {
      this.setData({ occupation: dataset<string>(e, 'value'), formError: '' });
    },
    onIncome(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ annualIncome: e.detail.value, formError: '' });
    },
    onAgree(e: WechatMiniprogram.CustomEvent<{ checked: boolean }>) {
      this.setData({ agree: e.detail.checked === true, formError: '' });
    },
    onAgreement() {
      wx.showModal({
        title: '分付服务协议（摘要）',
        content:
          '分付为信用支付服务：每月 1 日出账、10 日到期，另有 3 天宽限期；全额还款免息，未全额还款按日利率 0.05% 计息（年化 18.25%），逾期记录将计入信用记录；分期月利率 1.5%，按内部收益率法（IRR）计算的年化利率为 18.00%（单利），复利 19.56%。不收取违约金等其他费用。',
        showCancel: false,
        confirmText: '知道了',
      });
    },
    /** The request for the chosen channel, or the reason it cannot be sent. */
    request(): CreditApplyRequest | string {
      const { channel, occupation, annualIncome, agree } = this.data;
      if (!agree) return '请先阅读并同意《分付服务协议》和《个人信息授权书》';
      if (channel === 'invite') return { channel };
      if (channel === 'wallet' && occupation === '') return '请选择职业';
      if (!isMoneyInput(annualIncome)) return '请输入正确的年收入（元，最多两位小数）';
      const income = normalizeMoney(annualIncome);
      return channel === 'wallet'
        ? { channel, occupation, annualIncome: income }
        : { channel, annualIncome: income };
    },
    async onSubmit() {
      if (this.data.submitting) return;
      const req = this.request();
      if (typeof req === 'string') {
        this.setData({ formError: req });
        return;
      }
      this.setData({ submitting: true, formError: '' });
      try {
        const result = await call('credit', 'apply', req);
        this.setData({
          state: 'result',
          submitting: false,
          result,
          approved: result.decision === 'approved',
          reasons: result.reasons.map((r) => REJECTION_REASON[r] ?? r),
          dimensions: result.dimensions.map(dimensionView),
          resultReapplyDate: result.reapplyAt ? formatDate(result.reapplyAt) : '',
          candidatePoolDate: result.candidatePoolAt ? formatDate(result.candidatePoolAt) : '',
        });
      } catch (err) {
        if (errorCode(err) === 'ALREADY_OPEN') {
          this.setData({ state: 'empty', submitting: false });
          return;
        }
        this.setData({ submitting: false, formError: errorMessage(err) });
      }
    },
    onHome() {
      wx.reLaunch({ url: '/pages/home/index' });
    },
    onCheckout() {
      go('checkout');
    },
  },
});
