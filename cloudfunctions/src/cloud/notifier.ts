/**
 * The cloud Notifier: WeChat subscribe messages (订阅消息) through the function's own cloud-call
 * permission, `app.callWxOpenApi('/cgi-bin/message/subscribe/send')` (config.json declares
 * `permissions.openapi: ["subscribeMessage.send"]`). Each message type maps to a template
 * (SUBSCRIBE_TEMPLATES); our title, body and time fill the template's keywords.
 *
 * WeChat's keyword limits are applied so a long Chinese body does not make the send fail:
 * thing ≤ 20 characters, phrase ≤ 5, name ≤ 10, character_string / letter / number ≤ 32
 * (longer values are cut and end with "…"); time is "YYYY-MM-DD HH:mm" and date "YYYY-MM-DD",
 * Asia/Shanghai.
 */
import type { MessageType } from '../../../typings/api';
import { toIso } from '../core/time';
import type { Notifier, OutboundMessage } from '../ports/notifier';
import type { FieldSource, MiniprogramState, SubscribeTemplates } from './config';

export const SUBSCRIBE_SEND_API = '/cgi-bin/message/subscribe/send';

/** The part of the SDK app the notifier uses. */
export interface WxOpenApiCaller {
  callWxOpenApi(options: { apiName: string; requestData: unknown }): Promise<unknown>;
}

/** The page a push opens, per message type. */
const PAGES: Record<MessageType, string> = {
  statement_issued: 'pages/bills/index',
  due_soon: 'pages/bills/index',
  due_today: 'pages/bills/index',
  overdue: 'pages/bills/index',
  auto_debit_failed: 'pages/bills/index',
  repayment_received: 'pages/bills/index',
  quota_changed: 'pages/quota/index',
  risk_warning: 'pages/risk/index',
  appeal_result: 'pages/risk/index',
};

const LIMITS: Record<string, number> = {
  thing: 20,
  phrase: 5,
  name: 10,
  character_string: 32,
  letter: 32,
  number: 32,
  symbol: 5,
  car_number: 8,
};

export function createSubscribeNotifier(
  app: WxOpenApiCaller,
  templates: SubscribeTemplates,
  state: MiniprogramState,
): Notifier {
  const enabled = Object.keys(templates).length > 0;
  return {
    enabled,
    templateOf: (type) => templates[type]?.id,
    async send(message: OutboundMessage): Promise<void> {
      const template = templates[message.type];
      if (!template) throw new Error(`no subscribe template for ${message.type}`);
      const requestData = {
        touser: message.openid,
        template_id: template.id,
        page: PAGES[message.type],
        data: templateData(template.fields, message),
        miniprogram_state: state,
        lang: 'zh_CN',
      };
      const res = (await app.callWxOpenApi({ apiName: SUBSCRIBE_SEND_API, requestData })) as {
        code?: string;
        message?: string;
        result?: { errcode?: number; errmsg?: string } | string;
      };
      if (res?.code) throw new Error(`subscribe send failed: ${res.code} ${res.message ?? ''}`);
      const result = res?.result;
      if (result && typeof result === 'object' && result.errcode !== undefined && result.errcode !== 0) {
        // e.g. 43101: the user has no grant left for this template.
        throw new Error(`subscribe send refused: ${result.errcode} ${result.errmsg ?? ''}`);
      }
    },
  };
}

export function templateData(
  fields: Record<string, FieldSource>,
  message: Pick<OutboundMessage, 'title' | 'body' | 'createdAt'>,
): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {};
  const iso = toIso(message.createdAt); // 2026-11-05T10:00:00+08:00
  for (const [keyword, source] of Object.entries(fields)) {
    let value: string;
    if (source === 'time') value = `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
    else if (source === 'date') value = iso.slice(0, 10);
    else value = message[source];
    const kind = keyword.replace(/\d+$/, '');
    const limit = LIMITS[kind];
    data[keyword] = { value: limit ? cut(value, limit) : value };
  }
  return data;
}

/** At most `limit` characters (code points), ending in "…" when cut. */
function cut(text: string, limit: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= limit ? chars.join('') : `${chars.slice(0, limit - 1).join('')}…`;
}
