/** 消息: statement issued, due soon / today, overdue, quota changed, risk warnings, appeal results. */
import type { InboxMessage, MessageType } from '../../../typings/api';
import { call, errorMessage } from '../../services/api';
import { formatDateTime, MESSAGE_ICON } from '../../utils/format';
import { dataset } from '../../utils/nav';

type State = 'loading' | 'empty' | 'ready' | 'error';

const TONE: Partial<Record<MessageType, string>> = {
  overdue: 'red',
  risk_warning: 'orange',
  auto_debit_failed: 'red',
  due_today: 'orange',
};

interface MessageView extends InboxMessage {
  icon: string;
  tone: string;
  at: string;
  expanded: boolean;
}

Component({
  data: {
    state: 'loading' as State,
    error: '',
    messages: [] as MessageView[],
    unread: 0,
  },
  methods: {
    onLoad() {
      void this.load();
    },
    onPullDownRefresh() {
      void this.load(true).then(() => wx.stopPullDownRefresh());
    },
    async load(quiet = false) {
      if (!quiet) this.setData({ state: 'loading', error: '' });
      try {
        const { messages, unread } = await call('inbox', 'list', {});
        this.setData({
          state: messages.length === 0 ? 'empty' : 'ready',
          unread,
          messages: messages.map((msg) => ({
            ...msg,
            icon: MESSAGE_ICON[msg.type] ?? '信',
            tone: TONE[msg.type] ?? 'green',
            at: formatDateTime(msg.createdAt),
            expanded: false,
          })),
        });
      } catch (err) {
        this.setData({ state: 'error', error: errorMessage(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    async onTapMessage(e: WechatMiniprogram.BaseEvent) {
      const id = dataset<string>(e, 'id');
      const index = this.data.messages.findIndex((m) => m.id === id);
      if (index < 0) return;
      const msg = this.data.messages[index];
      this.setData({ [`messages[${index}].expanded`]: !msg.expanded });
      if (msg.read) return;
      try {
        await call('inbox', 'read', { messageId: id });
        this.setData({ [`messages[${index}].read`]: true, unread: Math.max(0, this.data.unread - 1) });
      } catch (err) {
        wx.showToast({ title: errorMessage(err), icon: 'none' });
      }
    },
  },
});
