/** 风险: the risk events on the account (level 1 warning, 2 restriction, 3 frozen), and appeals against them. */
import type { Appeal, RiskEvent } from '../../../typings/api';
import { call, errorCode, errorMessage, loadFailure } from '../../services/api';
import { APPEAL_STATUS, formatDateTime, RISK_LEVEL, RISK_STATUS, RISK_TYPE } from '../../utils/format';
import { dataset, go } from '../../utils/nav';

type State = 'loading' | 'empty' | 'ready' | 'error' | 'no-account';

const MAX_REASON = 500;

interface EventView extends RiskEvent {
  typeLabel: string;
  levelLabel: string;
  statusLabel: string;
  at: string;
  appealable: boolean;
}

interface AppealView extends Appeal {
  eventLabel: string;
  statusLabel: string;
  at: string;
  due: string;
}

Component({
  data: {
    state: 'loading' as State,
    error: '',
    events: [] as EventView[],
    appeals: [] as AppealView[],
    appealing: '',
    appealingLabel: '',
    reason: '',
    max: MAX_REASON,
    submitting: false,
    formError: '',
    notice: '',
  },
  methods: {
    onLoad() {
      void this.load();
    },
    async load(quiet = false) {
      if (!quiet) this.setData({ state: 'loading', error: '' });
      try {
        const [{ events }, { appeals }] = await Promise.all([
          call('risk', 'events', {}),
          call('risk', 'appeals', {}),
        ]);
        const appealed = new Set(appeals.map((a) => a.eventId));
        const byId = new Map(events.map((e) => [e.id, e]));
        this.setData({
          state: events.length === 0 && appeals.length === 0 ? 'empty' : 'ready',
          events: events.map((e) => ({
            ...e,
            typeLabel: RISK_TYPE[e.type] ?? e.type,
            levelLabel: RISK_LEVEL[e.level],
            statusLabel: RISK_STATUS[e.status] ?? e.status,
            at: formatDateTime(e.createdAt),
            appealable: e.status === 'open' && !appealed.has(e.id),
          })),
          appeals: appeals.map((a) => {
            const ev = byId.get(a.eventId);
            return {
              ...a,
              eventLabel: ev ? RISK_TYPE[ev.type] : '风险事件',
              statusLabel: APPEAL_STATUS[a.status] ?? a.status,
              at: formatDateTime(a.createdAt),
              due: formatDateTime(a.reviewDueAt),
            };
          }),
        });
      } catch (err) {
        this.setData(loadFailure(err, 'no-account'));
      }
    },
    onRetry() {
      void this.load();
    },
    onOpen() {
      go('open');
    },
    onAppeal(e: WechatMiniprogram.BaseEvent) {
      const id = dataset<string>(e, 'id');
      const ev = this.data.events.find((x) => x.id === id);
      this.setData({
        appealing: id,
        appealingLabel: ev ? ev.typeLabel : '',
        reason: '',
        formError: '',
        notice: '',
      });
    },
    onCancel() {
      this.setData({ appealing: '', reason: '', formError: '' });
    },
    onReason(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ reason: e.detail.value, formError: '' });
    },
    async onSubmit() {
      const reason = this.data.reason.trim();
      if (this.data.submitting) return;
      if (reason === '') {
        this.setData({ formError: '请说明申诉理由' });
        return;
      }
      if (reason.length > MAX_REASON) {
        this.setData({ formError: `申诉理由不能超过 ${MAX_REASON} 字` });
        return;
      }
      this.setData({ submitting: true, formError: '' });
      try {
        const appeal = await call('risk', 'appeal', { eventId: this.data.appealing, reason });
        this.setData({
          submitting: false,
          appealing: '',
          reason: '',
          notice: `申诉已提交，我们将在 ${formatDateTime(appeal.reviewDueAt)} 前完成审核并通知你。`,
        });
        await this.load(true);
      } catch (err) {
        if (errorCode(err) === 'APPEAL_EXISTS') {
          // Already submitted (often a first attempt whose answer was lost): show it in the list.
          this.setData({ submitting: false, appealing: '', reason: '', notice: errorMessage(err) });
          await this.load(true);
          return;
        }
        this.setData({ submitting: false, formError: errorMessage(err) });
      }
    },
  },
});
