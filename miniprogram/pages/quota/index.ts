/**
 * 额度: how the quota is computed (base / spend / deposit × multiplier, capped, rounded down to 100),
 * when it was and will be evaluated, and the user's own re-evaluation with its limits.
 */
import type { CreditQuotaData, CreditReevaluateData } from '../../../typings/api';
import { call, errorCode, errorDetail, errorMessage, loadFailure } from '../../services/api';
import { formatDateTime, formatMoney } from '../../utils/format';
import { go } from '../../utils/nav';
import type { Segment } from '../../components/breakdown-bar/index';

type State = 'loading' | 'empty' | 'ready' | 'error';

const MULTIPLIER_NOTE: Record<string, string> = {
  '1': '正常',
  '0.5': '存在二级风险事件，额度减半',
  '0.2': '疑似套现，额度下调 80%',
  '0': '账户冻结',
};

function segments(q: CreditQuotaData): Segment[] {
  return [
    { label: '支付分', note: '支付分 × 10', amount: q.breakdown.base },
    { label: '消费能力', note: '近 3 个月月均消费 × 8%', amount: q.breakdown.spend },
    { label: '资金沉淀', note: '零钱余额 × 5%', amount: q.breakdown.deposit },
  ];
}

function view(q: CreditQuotaData) {
  const m = q.breakdown.riskMultiplier;
  return {
    quota: q,
    segments: segments(q),
    multiplierNote: MULTIPLIER_NOTE[m] ?? '',
    reduced: m !== '1',
    evaluatedAt: formatDateTime(q.evaluatedAt),
    nextEvaluationAt: formatDateTime(q.nextEvaluationAt),
    reevaluateAt: q.underReview ? '人工审核中，审核通过后可申请' : formatDateTime(q.reevaluateAvailableAt),
    cap: formatMoney(q.breakdown.cap),
  };
}

Component({
  data: {
    state: 'loading' as State,
    error: '',
    quota: null as CreditQuotaData | null,
    segments: [] as Segment[],
    multiplierNote: '',
    reduced: false,
    evaluatedAt: '',
    nextEvaluationAt: '',
    reevaluateAt: '',
    cap: '',
    reevaluating: false,
    /**
     * Set by a refusal: another request now would count towards the review (rate-limited) or be
     * refused until an operator clears it (under review), so the button rests.
     */
    blocked: '' as '' | 'rate_limited' | 'under_review',
    outcome: null as null | { changed: boolean; previous: string; current: string },
    refusal: '',
  },
  methods: {
    onLoad() {
      void this.load();
    },
    async load() {
      this.setData({ state: 'loading', error: '' });
      try {
        const q = await call('credit', 'quota', {});
        // Under review the button rests from the start, not only after a refused tap.
        this.setData({
          state: 'ready',
          ...view(q),
          ...(q.underReview ? { blocked: 'under_review' as const } : {}),
        });
      } catch (err) {
        this.setData(loadFailure(err, 'empty'));
      }
    },
    onRetry() {
      void this.load();
    },
    onOpen() {
      go('open');
    },
    async onReevaluate() {
      if (this.data.reevaluating || this.data.blocked) return;
      this.setData({ reevaluating: true, refusal: '', outcome: null });
      try {
        const r: CreditReevaluateData = await call('credit', 'reevaluate', {});
        this.setData({
          reevaluating: false,
          ...view(r),
          outcome: {
            changed: r.changed,
            previous: formatMoney(r.previousQuota),
            current: formatMoney(r.quota),
          },
        });
      } catch (err) {
        // A refusal moves the next allowed time (retryAt): the row must not keep the old one.
        const retryAt = errorDetail(err, 'retryAt');
        const code = errorCode(err);
        this.setData({
          reevaluating: false,
          refusal: errorMessage(err),
          ...(retryAt !== undefined ? { reevaluateAt: formatDateTime(retryAt) } : {}),
          ...(code === 'UNDER_REVIEW' ? { reevaluateAt: '人工审核中，审核通过后可申请' } : {}),
          blocked: code === 'RATE_LIMITED' ? 'rate_limited' : code === 'UNDER_REVIEW' ? 'under_review' : '',
        });
      }
    },
  },
});
