/**
 * 分期: the 3 / 6 / 12-month offers for a statement or a purchase, each with its full schedule and the
 * annualised rate (IRR, simple and compound) shown as large as the monthly rate; then the conversion.
 */
import type { ConvertData, ConvertRequest, InstallmentOffer } from '../../../typings/api';
import { call, errorCode, errorMessage, newRequestId, outcomeUnknown } from '../../services/api';
import { formatDate } from '../../utils/format';
import { dataset } from '../../utils/nav';

type State = 'loading' | 'empty' | 'ready' | 'done' | 'error';
type Target = { statementId: string } | { txnId: string };

Component({
  data: {
    state: 'loading' as State,
    error: '',
    emptyText: '',
    target: null as Target | null,
    source: '',
    offers: [] as InstallmentOffer[],
    term: 0,
    offer: null as InstallmentOffer | null,
    converting: false,
    convertError: '',
    requestId: '',
    result: null as (ConvertData & { firstDue: string }) | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const target: Target | null = query.txnId
        ? { txnId: query.txnId }
        : query.statementId
          ? { statementId: query.statementId }
          : null;
      this.setData({ target, source: target && 'txnId' in target ? '单笔消费分期' : '账单分期' });
      void this.load();
    },
    async load() {
      this.setData({ state: 'loading', error: '' });
      try {
        let target = this.data.target;
        if (!target) {
          // Opened from the home shortcut: the current statement, if there is one to split.
          const summary = await call('bill', 'summary', {});
          const c = summary.current;
          if (!c || c.status !== 'open') {
            this.setData({ state: 'empty', emptyText: '当前没有可分期的账单' });
            return;
          }
          target = { statementId: c.id };
          this.setData({ target });
        }
        const { offers } = await call('bill', 'installmentOffers', target);
        if (offers.length === 0) {
          this.setData({ state: 'empty', emptyText: '该笔金额暂不支持分期' });
          return;
        }
        this.setData({ state: 'ready', offers, term: offers[0].term, offer: offers[0] });
      } catch (err) {
        const code = errorCode(err);
        if (code === 'NOT_CONVERTIBLE' || code === 'ALREADY_CONVERTED' || code === 'NO_ACCOUNT') {
          this.setData({ state: 'empty', emptyText: errorMessage(err) });
        } else {
          this.setData({ state: 'error', error: errorMessage(err) });
        }
      }
    },
    onRetry() {
      void this.load();
    },
    onTerm(e: WechatMiniprogram.BaseEvent) {
      const term = Number(dataset<string>(e, 'term'));
      const offer = this.data.offers.find((o) => o.term === term) ?? null;
      this.setData({ term, offer, requestId: '', convertError: '' });
    },
    async onConvert() {
      const { target, term, converting } = this.data;
      if (!target || !term || converting) return;
      const requestId = this.data.requestId || newRequestId('split');
      this.setData({ converting: true, convertError: '', requestId });
      try {
        const req = { requestId, term, ...target } as ConvertRequest;
        const result = await call('bill', 'convert', req);
        this.setData({
          converting: false,
          state: 'done',
          result: { ...result, firstDue: formatDate(result.firstDueDate) },
          requestId: '',
        });
      } catch (err) {
        this.setData({
          converting: false,
          convertError: errorMessage(err),
          requestId: outcomeUnknown(err) ? requestId : '',
        });
      }
    },
    onDone() {
      wx.navigateBack({ fail: () => wx.reLaunch({ url: '/pages/home/index' }) });
    },
  },
});
