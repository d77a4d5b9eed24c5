/**
 * Outbound notifications beyond the inbox (which is data, written in the use case's transaction).
 * In the cloud this sends WeChat subscribe messages; locally it does nothing.
 */
import type { MessageType } from '../../../typings/api';

export interface OutboundMessage {
  openid: string;
  type: MessageType;
  title: string;
  body: string;
  createdAt: number;
}

export interface Notifier {
  send(message: OutboundMessage): Promise<void>;
}

export const inboxOnlyNotifier: Notifier = {
  send: async () => undefined,
};
