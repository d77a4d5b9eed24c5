/** The inbox of SPEC §8: list (newest first) and mark read. */
import type { InboxListData, MessageType } from '../../../typings/api';
import { recordSubscriptions } from './messages';
import type { Ctx } from '../app/context';
import { notFound } from '../app/errors';
import { toIso } from '../core/time';
import { currentAccountIfAny } from './current';
import type { MessageDoc } from './documents';

export async function listMessages(ctx: Ctx): Promise<InboxListData> {
  // The day's messages (a statement issued, a payment due) belong in the list as soon as the day
  // begins, not when the scheduler gets to this account: a lagging account is caught up first.
  await currentAccountIfAny(ctx.deps.store, ctx.openid, await ctx.deps.clock.now());
  const docs = await ctx.deps.store.find<MessageDoc>(
    'messages',
    { openid: ctx.openid },
    { orderBy: { field: 'createdAt', direction: 'desc' }, limit: 200 },
  );
  return {
    messages: docs.map((m) => ({
      id: m._id,
      type: m.type,
      title: m.title,
      body: m.body,
      createdAt: toIso(m.createdAt),
      read: m.read,
    })),
    unread: docs.filter((m) => !m.read).length,
  };
}

export async function readMessage(ctx: Ctx, messageId: string): Promise<{ id: string; read: true }> {
  return ctx.deps.store.transaction(async (tx) => {
    const m = await tx.get<MessageDoc>('messages', messageId);
    if (!m || m.openid !== ctx.openid) throw notFound('messageId', '消息不存在');
    if (!m.read) await tx.patch('messages', messageId, { read: true });
    return { id: messageId, read: true };
  });
}

/** The user accepted one-time subscribe messages for these types (wx.requestSubscribeMessage). */
export async function subscribe(ctx: Ctx, types: MessageType[]): Promise<{ subscribed: MessageType[] }> {
  const { store, notifier } = ctx.deps;
  await store.transaction((tx) => recordSubscriptions(tx, ctx.openid, types, (t) => notifier.templateOf(t)));
  return { subscribed: types };
}

/** The user turned 还款提醒 off: the grants left are not used (the inbox still gets everything). */
export async function unsubscribe(ctx: Ctx): Promise<{ subscribed: MessageType[] }> {
  await ctx.deps.store.transaction((tx) => tx.remove('subscriptions', ctx.openid));
  return { subscribed: [] };
}
