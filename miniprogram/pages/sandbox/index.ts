/**
 * 沙盒 (local mode only): be one of the demo users, edit the scoring profile, move the clock, run the
 * scheduler (statements, interest, overdue, reminders …), send yourself an invitation.
 */
import type { Profile, SchedulerRunData } from '../../../typings/api';
import { config, DEMO_USERS } from '../../config';
import { call, errorMessage } from '../../services/api';
import { currentOpenid, setOpenid } from '../../services/session';
import { formatDateTime } from '../../utils/format';
import { dataset } from '../../utils/nav';

type State = 'loading' | 'empty' | 'ready' | 'error';
type Kind = 'bool' | 'int' | 'money' | 'text';

interface Field {
  key: keyof Profile;
  label: string;
  kind: Kind;
  unit: string;
}

const FIELDS: Field[] = [
  { key: 'realNameVerified', label: '已实名', kind: 'bool', unit: '' },
  { key: 'age', label: '年龄', kind: 'int', unit: '岁' },
  { key: 'bankCards', label: '银行卡', kind: 'int', unit: '张' },
  { key: 'payScore', label: '支付分', kind: 'int', unit: '分' },
  { key: 'monthlyPaymentCount', label: '月均支付笔数', kind: 'int', unit: '笔' },
  { key: 'balance', label: '零钱余额', kind: 'money', unit: '元' },
  { key: 'friendCount', label: '好友数', kind: 'int', unit: '位' },
  { key: 'overdueCount', label: '逾期记录', kind: 'int', unit: '次' },
  { key: 'payHistoryDays', label: '支付使用天数', kind: 'int', unit: '天' },
  { key: 'annualIncome', label: '年收入', kind: 'money', unit: '元' },
  { key: 'avgMonthlySpend', label: '月均消费', kind: 'money', unit: '元' },
  { key: 'homeCity', label: '常用城市', kind: 'text', unit: '' },
  { key: 'bankCardBalance', label: '银行卡余额', kind: 'money', unit: '元' },
];

const STEPS = [
  { label: '+1 小时', advanceHours: 1 },
  { label: '+1 天', advanceDays: 1 },
  { label: '+3 天', advanceDays: 3 },
  { label: '+7 天', advanceDays: 7 },
  { label: '+30 天', advanceDays: 30 },
];

type Draft = Record<string, string>;

function draftOf(p: Profile): Draft {
  const d: Draft = {};
  for (const f of FIELDS) d[f.key] = String(p[f.key]);
  return d;
}

/** The changed fields, typed as the API wants them, or the first problem. */
function changes(draft: Draft, saved: Draft, bools: Record<string, boolean>): Partial<Profile> | string {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    if (f.kind === 'bool') {
      if (String(bools[f.key]) !== saved[f.key]) out[f.key] = bools[f.key];
      continue;
    }
    const v = (draft[f.key] ?? '').trim();
    if (v === saved[f.key]) continue;
    if (f.kind === 'int') {
      if (!/^\d{1,6}$/.test(v)) return `${f.label}需为整数`;
      out[f.key] = Number(v);
    } else if (f.kind === 'money') {
      if (!/^\d{1,8}(\.\d{1,2})?$/.test(v)) return `${f.label}需为金额（最多两位小数）`;
      const [i, dec = ''] = v.split('.');
      out[f.key] = `${String(Number(i))}.${(dec + '00').slice(0, 2)}`;
    } else {
      if (v === '') return `${f.label}不能为空`;
      out[f.key] = v;
    }
  }
  return out as Partial<Profile>;
}

function schedulerText(r: SchedulerRunData): string {
  if (r.days === 0) return '调度已是最新，没有需要处理的日子';
  const escalated = r.appealsEscalated > 0 ? `，超时申诉转人工加急 ${r.appealsEscalated} 件` : '';
  return `处理了 ${r.days} 天：出账 ${r.statementsIssued} 张，计息 ${r.interestAccrued} 笔，自动扣款 ${r.autoDebits} 笔，逾期 ${r.overdueMarked} 笔，冻结 ${r.frozen} 户，重新评估 ${r.reevaluated} 户，提醒 ${r.reminders} 条${escalated}`;
}

Component({
  data: {
    state: 'loading' as State,
    error: '',
    local: config.mode === 'local',
    gateway: config.gatewayUrl,
    users: DEMO_USERS,
    openid: '',
    customOpenid: '',
    now: '',
    steps: STEPS.map((s, i) => ({ label: s.label, index: i })),
    setDate: '',
    fields: FIELDS,
    draft: {} as Draft,
    saved: {} as Draft,
    bools: {} as Record<string, boolean>,
    busy: '',
    notice: '',
    noticeTone: 'ok',
  },
  methods: {
    onLoad() {
      if (config.mode !== 'local') {
        this.setData({ state: 'empty' });
        return;
      }
      this.setData({ openid: currentOpenid() });
      void this.load();
    },
    async load() {
      this.setData({ state: 'loading', error: '' });
      try {
        const [{ profile }, { now }] = await Promise.all([
          call('sandbox', 'setProfile', {}),
          call('sandbox', 'clock', {}),
        ]);
        this.showProfile(profile);
        this.setData({ state: 'ready', now: formatDateTime(now) });
      } catch (err) {
        this.setData({ state: 'error', error: errorMessage(err) });
      }
    },
    showProfile(p: Profile) {
      const d = draftOf(p);
      this.setData({ draft: d, saved: { ...d }, bools: { realNameVerified: p.realNameVerified } });
    },
    note(text: string, tone: 'ok' | 'danger' = 'ok') {
      this.setData({ notice: text, noticeTone: tone });
    },
    onRetry() {
      void this.load();
    },
    onUser(e: WechatMiniprogram.BaseEvent) {
      this.switchTo(dataset<string>(e, 'openid'));
    },
    onCustomOpenid(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ customOpenid: e.detail.value });
    },
    onUseCustom() {
      const id = this.data.customOpenid.trim();
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
        this.note('openid 只能包含字母、数字、下划线和连字符', 'danger');
        return;
      }
      this.switchTo(id);
    },
    switchTo(openid: string) {
      setOpenid(openid);
      this.setData({ openid, notice: '' });
      wx.showToast({ title: `已切换到 ${openid}`, icon: 'none' });
      void this.load();
    },
    onField(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = dataset<string>(e, 'key');
      this.setData({ [`draft.${key}`]: e.detail.value });
    },
    onBool(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      const key = dataset<string>(e, 'key');
      this.setData({ [`bools.${key}`]: e.detail.value === true });
    },
    async run(label: string, task: () => Promise<string>) {
      if (this.data.busy) return;
      this.setData({ busy: label, notice: '' });
      try {
        this.note(await task());
      } catch (err) {
        this.note(errorMessage(err), 'danger');
      } finally {
        this.setData({ busy: '' });
      }
    },
    onSaveProfile() {
      const diff = changes(this.data.draft, this.data.saved, this.data.bools);
      if (typeof diff === 'string') {
        this.note(diff, 'danger');
        return;
      }
      if (Object.keys(diff).length === 0) {
        this.note('资料没有变化');
        return;
      }
      void this.run('profile', async () => {
        const { profile } = await call('sandbox', 'setProfile', diff);
        this.showProfile(profile);
        return `已保存 ${Object.keys(diff).length} 项资料`;
      });
    },
    onStep(e: WechatMiniprogram.BaseEvent) {
      const step = STEPS[Number(dataset<string>(e, 'index'))];
      const req = step.advanceHours
        ? { advanceHours: step.advanceHours }
        : { advanceDays: step.advanceDays ?? 1 };
      void this.run('clock', async () => {
        const { now } = await call('sandbox', 'clock', req);
        this.setData({ now: formatDateTime(now) });
        return `时钟已前进 ${step.label.slice(1)}，现在是 ${formatDateTime(now)}。运行调度以处理这段时间的出账、计息和提醒。`;
      });
    },
    onSetDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ setDate: e.detail.value });
    },
    onApplyDate() {
      const d = this.data.setDate.trim();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) {
        this.note('日期格式为 YYYY-MM-DD，例如 2025-03-01', 'danger');
        return;
      }
      void this.run('clock', async () => {
        const { now } = await call('sandbox', 'clock', { set: `${d}T00:00:00+08:00` });
        this.setData({ now: formatDateTime(now) });
        return `时钟已设为 ${formatDateTime(now)}`;
      });
    },
    onRunScheduler() {
      void this.run('scheduler', async () => schedulerText(await call('sandbox', 'runScheduler', {})));
    },
    onInvite() {
      void this.run('invite', async () => {
        await call('sandbox', 'invite', {});
        return '已向当前用户发送开通邀请，可在开通页选择「邀请开通」';
      });
    },
  },
});
