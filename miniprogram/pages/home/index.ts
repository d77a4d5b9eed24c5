/** 分付 home: status, available quota, the current bill and its due date, shortcuts, 还款提醒. */
import type { AccountView, BillSummaryData, CreditStatusData } from '../../../typings/api';
import { config } from '../../config';
import { call, errorMessage } from '../../services/api';
import { remindersOn, setReminders } from '../../services/reminders';
import { ACCOUNT_STATUS, formatDate, formatDay, formatPeriod, STATEMENT_STATUS } from '../../utils/format';
import { dataset, go, type PageName } from '../../utils/nav';

type State = 'loading' | 'empty' | 'ready' | 'error';

interface Shortcut {
  page: PageName;
  label: string;
  glyph: string;
  badge?: string;
}

function shortcuts(unread: number): Shortcut[] {
  const list: Shortcut[] = [
    { page: 'bills', label: '账单', glyph: '账' },
    { page: 'quota', label: '额度', glyph: '额' },
    { page: 'checkout', label: '去消费', glyph: '付' },
    { page: 'installment', label: '分期', glyph: '分' },
    { page: 'risk', label: '安全与申诉', glyph: '安' },
    {
      page: 'inbox',
      label: '消息',
      glyph: '信',
      badge: unread > 0 ? String(unread > 99 ? '99+' : unread) : '',
    },
  ];
  if (config.mode === 'local') list.push({ page: 'sandbox', label: '沙盒', glyph: '试' });
  return list;
}

Component({
  data: {
    state: 'loading' as State,
    error: '',
    account: null as AccountView | null,
    statusLabel: '',
    summary: null as BillSummaryData | null,
    bill: {
      period: '',
      dueDay: '',
      graceDay: '',
      statusLabel: '',
      overdue: false,
      paid: false,
    },
    canApply: true,
    invited: false,
    reapplyDate: '',
    shortcuts: shortcuts(0),
    reminders: false,
    loaded: false,
  },
  methods: {
    onLoad() {
      this.setData({ reminders: remindersOn() });
      void this.load();
    },
    onShow() {
      // Coming back from repay / open: refresh quietly.
      if (this.data.loaded) void this.load(true);
    },
    onPullDownRefresh() {
      void this.load(true).then(() => wx.stopPullDownRefresh());
    },
    async load(quiet = false) {
      if (!quiet) this.setData({ state: 'loading', error: '' });
      try {
        const status: CreditStatusData = await call('credit', 'status', {});
        if (!status.account) {
          this.setData({
            state: 'empty',
            loaded: true,
            account: null,
            canApply: status.canApply,
            invited: status.invited === true,
            reapplyDate: formatDate(status.reapplyAt),
          });
          return;
        }
        const [summary, inbox] = await Promise.all([call('bill', 'summary', {}), call('inbox', 'list', {})]);
        const current = summary.current;
        this.setData({
          state: 'ready',
          loaded: true,
          account: status.account,
          statusLabel: ACCOUNT_STATUS[status.account.status],
          summary,
          bill: {
            period: current ? formatPeriod(current.period) : '',
            dueDay: current ? formatDay(current.dueDate) : '',
            graceDay: current ? formatDay(current.graceEndsAt) : '',
            statusLabel: current ? STATEMENT_STATUS[current.status] : '',
            overdue: current?.status === 'overdue',
            paid: current?.status === 'paid',
          },
          shortcuts: shortcuts(inbox.unread),
        });
      } catch (err) {
        if (!quiet || this.data.state !== 'ready') this.setData({ state: 'error', error: errorMessage(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    onOpen() {
      go('open');
    },
    onShortcut(e: WechatMiniprogram.BaseEvent) {
      go(dataset<PageName>(e, 'page'));
    },
    onRepay() {
      go('repay');
    },
    onInstallment() {
      const current = this.data.summary?.current;
      go('installment', current ? { statementId: current.id } : {});
    },
    onBills() {
      go('bills');
    },
    onQuota() {
      go('quota');
    },
    async onReminderChange(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      const result = await setReminders(e.detail.value === true);
      this.setData({ reminders: result.on });
      wx.showToast({ title: result.message, icon: 'none' });
    },
  },
});
