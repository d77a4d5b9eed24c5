/** One statement: its amounts, dates (statement, due, grace), status, and every line it bills. */
import type { StatementDetail, StatementLine } from '../../../typings/api';
import { call, errorMessage } from '../../services/api';
import { formatDay, formatDayTime, formatPeriod, STATEMENT_STATUS, toFen } from '../../utils/format';
import { go } from '../../utils/nav';

type State = 'loading' | 'ready' | 'error';

const KIND: Record<StatementLine['kind'], string> = {
  purchase: '消费',
  installment: '分期',
  interest: '利息',
  carried: '上期结转',
};

/**
 * A statement's unpaid principal of at least 100.00 can be split (SPEC §7). Its purchases cannot on
 * their own: a billed purchase is the statement's now (the server refuses it), so no line offers it.
 */
const MIN_SPLIT_FEN = 10000;

Component({
  data: {
    state: 'loading' as State,
    error: '',
    statementId: '',
    s: null as StatementDetail | null,
    period: '',
    statusLabel: '',
    overdue: false,
    paid: false,
    dates: { statement: '', due: '', grace: '' },
    lines: [] as (StatementLine & { kindLabel: string; day: string })[],
    canSplit: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ statementId: query.statementId ?? '' });
      void this.load();
    },
    onShow() {
      // Back from 还款 or 分期: show what they changed.
      if (this.data.state === 'ready') void this.load(true);
    },
    async load(quiet = false) {
      if (!this.data.statementId) {
        this.setData({ state: 'error', error: '缺少账单编号' });
        return;
      }
      if (!quiet) this.setData({ state: 'loading', error: '' });
      try {
        const s = await call('bill', 'detail', { statementId: this.data.statementId });
        this.setData({
          state: 'ready',
          s,
          period: formatPeriod(s.period),
          statusLabel: s.status === 'overdue' ? `已逾期 ${s.overdueDays} 天` : STATEMENT_STATUS[s.status],
          overdue: s.status === 'overdue',
          paid: s.status === 'paid',
          dates: {
            statement: formatDay(s.statementDate),
            due: formatDayTime(s.dueDate),
            grace: formatDayTime(s.graceEndsAt),
          },
          lines: s.lines.map((l) => ({
            ...l,
            kindLabel: KIND[l.kind] ?? l.kind,
            day: formatDay(l.at),
          })),
          canSplit: s.status === 'open' && toFen(s.remaining) >= MIN_SPLIT_FEN,
        });
      } catch (err) {
        this.setData({ state: 'error', error: errorMessage(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    onRepay() {
      go('repay');
    },
    onSplitStatement() {
      go('installment', { statementId: this.data.statementId });
    },
  },
});
