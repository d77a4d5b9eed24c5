/**
 * Inbox messages are data, written in the same transaction as the event they report. Ids are
 * deterministic per (user, dedupe key), so a replayed scheduler day never posts a reminder twice.
 */
import type { MessageType } from '../../../typings/api';
import { hash } from '../app/idempotency';
import type { Tx } from '../ports/store';
import { MessageDoc, userKey } from './documents';

export interface NewMessage {
  openid: string;
  type: MessageType;
  title: string;
  body: string;
  at: number;
  /** What makes this message unique (e.g. "statement_issued:2026-11"). */
  dedupeKey: string;
}

/** Posts the message unless one with the same dedupe key exists; returns whether it was new. */
export async function postMessage(tx: Tx, m: NewMessage): Promise<MessageDoc | null> {
  const id = `msg_${userKey(m.openid)}_${hash(`${m.type}:${m.dedupeKey}`).slice(0, 16)}`;
  if (await tx.get<MessageDoc>('messages', id)) return null;
  const doc: MessageDoc = {
    _id: id,
    openid: m.openid,
    type: m.type,
    title: m.title,
    body: m.body,
    createdAt: m.at,
    read: false,
  };
  await tx.add('messages', doc);
  return doc;
}
