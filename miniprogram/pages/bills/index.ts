/** 账单: the current statement (amount, minimum, due date, grace), unbilled spending, and every statement. */
import type { BillSummaryData, Statement, StatementStatus } from '../../../typings/api';
import { call, loadFailure } from '../../services/api';
import { formatDay, formatDayTime, formatPeriod, STATEMENT_STATUS } from '../../utils/format';
import { dataset, go } from '../../utils/nav';

type State = 'loading' | 'empty' | 'ready' | 'error' | 'no-account';

interface Row {
  id: string;
  period: string;
  balance: string;
  remaining: string;
  due: string;
  status: StatementStatus;
  statusLabel: string;
}

const TAG: Record<StatementStatus, string> = {
  open: 'tag--orange',
  paid: 'tag--green',
  overdue: 'tag--red',
  carried: '',
};

function row(s: Statement): Row & { tag: string } {
  return {
    id: s.id,
    period: formatPeriod(s.period),
    balance: s.balance,
    remaining: s.remaining,
    due: formatDay(s.dueDate),
    status: s.status,
    statusLabel: s.status === 'overdue' ? `逾期 ${s.overdueDays} 天` : STATEMENT_STATUS[s.status],
    tag: TAG[s.status],
  };
}

Component({
  data: {
    state: 'loading' as State,
    error: '',
    summary: null as BillSummaryData | null,
    current: null as null | {
      period: string;
      due: string;
      grace: string;
      statementDate: string;
      overdue: boolean;
      paid: boolean;
    },
    rows: [] as (Row & { tag: string })[],
  },
  methods: {
    onLoad() {
      void this.load();
    },
    onShow() {
      if (this.data.state === 'ready' || this.data.state === 'empty') void this.load(true);
    },
    onPullDownRefresh() {
      void this.load(true).then(() => wx.stopPullDownRefresh());
    },
    async load(quiet = false) {
      if (!quiet) this.setData({ state: 'loading', error: '' });
      try {
        const [summary, list] = await Promise.all([call('bill', 'summary', {}), call('bill', 'list', {})]);
        const c = summary.current;
        this.setData({
          state: list.statements.length === 0 && !c ? 'empty' : 'ready',
          summary,
          current: c
            ? {
                period: formatPeriod(c.period),
                due: formatDayTime(c.dueDate),
                grace: formatDayTime(c.graceEndsAt),
                statementDate: formatDay(c.statementDate),
                overdue: c.status === 'overdue',
                paid: c.status === 'paid',
              }
            : null,
          rows: list.statements.map(row),
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
    onDetail(e: WechatMiniprogram.BaseEvent) {
      go('billDetail', { statementId: dataset<string>(e, 'id') });
    },
    onRepay() {
      go('repay');
    },
    onInstallment() {
      const c = this.data.summary?.current;
      if (c) go('installment', { statementId: c.id });
    },
    onCheckout() {
      go('checkout');
    },
  },
});
