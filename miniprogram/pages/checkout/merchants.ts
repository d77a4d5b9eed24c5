/**
 * Sample merchants of the simulated checkout. The second group is refused by the spending rules of
 * SPEC §4, so every refusal (and its Chinese message) can be seen from the phone.
 */
import type { Merchant } from '../../../typings/api';

export interface SampleMerchant extends Merchant {
  amount: string;
  /** Where the purchase happens; differs from the demo users' home city for the new-city rule. */
  city?: string;
  note: string;
  /** The rule that will refuse it, for the label; empty when it should go through. */
  refusedBy: string;
}

export const MERCHANTS: SampleMerchant[] = [
  {
    id: 'm_corner_store',
    name: '楼下便利店',
    category: 'grocery',
    scene: 'offline',
    amount: '36.50',
    note: '扫码付款',
    refusedBy: '',
  },
  {
    id: 'm_jd',
    name: '京东商城',
    category: 'retail',
    scene: 'online',
    amount: '899.00',
    note: '线上购物',
    refusedBy: '',
  },
  {
    id: 'm_state_grid',
    name: '国家电网 · 电费',
    category: 'utility',
    scene: 'utility',
    amount: '268.00',
    note: '水电煤缴费',
    refusedBy: '',
  },
  {
    id: 'm_global_duty_free',
    name: '环球免税店',
    category: 'retail',
    scene: 'cross_border',
    amount: '1200.00',
    note: '境外 · 合作商户',
    refusedBy: '',
  },
  {
    id: 'm_apple_online',
    name: 'Apple 官网',
    category: 'electronics',
    scene: 'online',
    amount: '6999.00',
    note: '线上 · 单笔超过 5000',
    refusedBy: '单笔限额',
  },
  {
    id: 'm_bund_hotel',
    name: '上海外滩酒店',
    category: 'hotel',
    scene: 'offline',
    amount: '2500.00',
    city: '上海',
    note: '扫码 · 常用城市以外 · 大额',
    refusedBy: '异地验证',
  },
  {
    id: 'm_overseas_shop',
    name: '海外代购小店',
    category: 'retail',
    scene: 'cross_border',
    amount: '560.00',
    note: '境外 · 非合作商户',
    refusedBy: '境外商户',
  },
  {
    id: 'm_friend_transfer',
    name: '转账给好友',
    category: 'transfer',
    scene: 'transfer',
    amount: '500.00',
    note: '转到好友零钱',
    refusedBy: '禁止套现',
  },
  {
    id: 'm_cash_withdrawal',
    name: '提现到银行卡',
    category: 'withdrawal',
    scene: 'withdrawal',
    amount: '1000.00',
    note: '提现到本人银行卡',
    refusedBy: '禁止套现',
  },
  {
    id: 'm_crypto',
    name: '数字货币交易所',
    category: 'virtual_currency',
    scene: 'online',
    amount: '300.00',
    note: '线上 · 虚拟货币',
    refusedBy: '禁止类目',
  },
  {
    id: 'm_fund',
    name: '基金申购',
    category: 'investment',
    scene: 'online',
    amount: '1000.00',
    note: '线上 · 投资理财',
    refusedBy: '禁止类目',
  },
  {
    id: 'm_personal_qr',
    name: '个人收款码',
    category: 'personal_qr',
    scene: 'offline',
    amount: '1000.00',
    note: '扫码 · 24 小时内 3 笔合计 ≥ 3000 会触发套现风控',
    refusedBy: '',
  },
];
