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
  /**
   * False: the inbox only, keeping the user's one-time grant for the message of that type they
   * subscribed for (a progress note must not use up the grant of the result).
   */
  push?: boolean;
}

/** Posts the message unless one with the same dedupe key exists; returns it when new. */
export async function postMessage(tx: Tx, m: NewMessage): Promise<MessageDoc | null> {
  const id = `msg_${userKey(m.openid)}_${hash(`${m.type}:${m.dedupeKey}`).slice(0, 16)}`;
  if (await tx.get<MessageDoc>('messages', id)) return null;
  const subscription = m.push === false ? null : await tx.get<SubscriptionDoc>('subscriptions', m.openid);
  const key = subscription?.grantKeys?.[m.type] ?? m.type;
  const grants = subscription?.remaining[key] ?? 0;
  if (subscription && grants > 0) {
    // Each grant of wx.requestSubscribeMessage allows exactly one send.
    await tx.put<SubscriptionDoc>('subscriptions', {
      ...subscription,
      remaining: { ...subscription.remaining, [key]: grants - 1 },
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
  templateOf: (type: MessageType) => string | undefined,
): Promise<SubscriptionDoc> {
  const current = (await tx.get<SubscriptionDoc>('subscriptions', openid)) ?? {
    _id: openid,
    openid,
    remaining: {},
  };
  const remaining = { ...current.remaining };
  const grantKeys = { ...current.grantKeys };
  const keys = new Set<string>();
  for (const type of types) {
    const key = templateOf(type) ?? type;
    grantKeys[type] = key;
    keys.add(key);
  }
  // One acceptance of a template is one send of it, however many types it carries.
  for (const key of keys) remaining[key] = (remaining[key] ?? 0) + 1;
  const next: SubscriptionDoc = { ...current, remaining, grantKeys };
  await tx.put('subscriptions', next);
  return next;
}

/** A claim older than this is presumed abandoned (its sender crashed) and may be taken again. */
const CLAIM_TIMEOUT_MS = 5 * 60_000;

/**
 * Send queued pushes (cloud only). Each message is first claimed in a transaction, so two
 * concurrent flushes never send the same one; a claim abandoned by a crash expires and is retried.
 */
export async function flushPushes(deps: Deps, limit = 50): Promise<number> {
  const { notifier, store, clock } = deps;
  if (!notifier.enabled) return 0;
  const now = await clock.now();
  const candidates = [
    ...(await store.find<MessageDoc>('messages', { push: 'pending' }, { limit })),
    ...(await store.find<MessageDoc>('messages', { push: 'sending' }, { limit })).filter(
      (m) => (m.pushClaimedAt ?? 0) < now - CLAIM_TIMEOUT_MS,
    ),
  ];
  let sent = 0;
  for (const m of candidates) {
    const claimed = await store.transaction(async (tx) => {
      const fresh = await tx.get<MessageDoc>('messages', m._id);
      if (!fresh || (fresh.push !== 'pending' && fresh.push !== 'sending')) return false;
      if (fresh.push === 'sending' && (fresh.pushClaimedAt ?? 0) >= now - CLAIM_TIMEOUT_MS) return false;
      // Turned off (inbox.unsubscribe) since it was queued: the inbox keeps it, nothing is sent.
      if (!(await tx.get<SubscriptionDoc>('subscriptions', m.openid))) {
        await tx.patch('messages', m._id, { push: 'none' });
        return false;
      }
      await tx.patch('messages', m._id, { push: 'sending', pushClaimedAt: now });
      return true;
    });
    if (!claimed) continue;
    let push: MessageDoc['push'] = 'failed';
    if (notifier.templateOf(m.type) !== undefined) {
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
