/**
 * Outbound notifications beyond the inbox (which is data, written in the use case's transaction).
 * In the cloud this sends WeChat subscribe messages; locally nothing leaves the machine.
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
  /** False where nothing can be sent (local): pending pushes are then left alone. */
  readonly enabled: boolean;
  /** The subscribe-message template configured for this message type, if any. */
  templateOf(type: MessageType): string | undefined;
  send(message: OutboundMessage): Promise<void>;
}

export const inboxOnlyNotifier: Notifier = {
  enabled: false,
  templateOf: () => undefined,
  send: async () => undefined,
};
