/**
 * Inbox messages are data, written in the same transaction as the event they report. Ids are
 * deterministic per (user, dedupe key), so a replayed scheduler day never posts a reminder twice.
 * A message the user subscribed to (one-time subscribe grant) is also queued for a push, which
 * `flushPushes` sends after the transaction has committed.
 */
import type { MessageType } from '../../../typings/api';
import type { Deps } from '../app/context';
import { hash } from '../app/idempotency';
import type { Tx } from '../ports/store';
import { MessageDoc, SubscriptionDoc, userKey } from './documents';

export interface NewMessage {
  openid: string;
  type: MessageType;
  title: string;
  body: string;
  at: number;
  /** What makes this message unique (e.g. "statement_issued:2026-11"). */
  dedupeKey: string;
}

/** Posts the message unless one with the same dedupe key exists; returns it when new. */
export async function postMessage(tx: Tx, m: NewMessage): Promise<MessageDoc | null> {
  const id = `msg_${userKey(m.openid)}_${hash(`${m.type}:${m.dedupeKey}`).slice(0, 16)}`;
  if (await tx.get<MessageDoc>('messages', id)) return null;
  const subscription = await tx.get<SubscriptionDoc>('subscriptions', m.openid);
  const grants = subscription?.remaining[m.type] ?? 0;
  if (subscription && grants > 0) {
    // Each grant of wx.requestSubscribeMessage allows exactly one send.
    await tx.put<SubscriptionDoc>('subscriptions', {
      ...subscription,
      remaining: { ...subscription.remaining, [m.type]: grants - 1 },
    });
  }
  const doc: MessageDoc = {
    _id: id,
    openid: m.openid,
    type: m.type,
    title: m.title,
    body: m.body,
    createdAt: m.at,
    read: false,
    push: grants > 0 ? 'pending' : 'none',
  };
  await tx.add('messages', doc);
  return doc;
}

/** Record the subscribe grants the user just accepted in the mini program. */
export async function recordSubscriptions(
  tx: Tx,
  openid: string,
  types: readonly MessageType[],
): Promise<SubscriptionDoc> {
  const current = (await tx.get<SubscriptionDoc>('subscriptions', openid)) ?? {
    _id: openid,
    openid,
    remaining: {},
  };
  const remaining = { ...current.remaining };
  for (const type of types) remaining[type] = (remaining[type] ?? 0) + 1;
  const next = { ...current, remaining };
  await tx.put('subscriptions', next);
  return next;
}

/**
 * Send queued pushes (cloud only). At-least-once: a message is marked after its send, so a crash
 * in between may send it again, which for a reminder is the lesser harm than losing it.
 */
export async function flushPushes(deps: Deps, limit = 50): Promise<number> {
  const { notifier, store } = deps;
  if (!notifier.enabled) return 0;
  const pending = await store.find<MessageDoc>('messages', { push: 'pending' }, { limit });
  let sent = 0;
  for (const m of pending) {
    let push: MessageDoc['push'] = 'failed';
    if (notifier.hasTemplate(m.type)) {
      try {
        await notifier.send({
          openid: m.openid,
          type: m.type,
          title: m.title,
          body: m.body,
          createdAt: m.createdAt,
        });
        push = 'sent';
        sent += 1;
      } catch {
        push = 'failed';
      }
    }
    await store.transaction((tx) => tx.patch('messages', m._id, { push }));
  }
  return sent;
}
