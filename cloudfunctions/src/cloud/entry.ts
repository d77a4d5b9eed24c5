/**
 * The cloud entry point: `exports.main = cloudMain('credit', credit)`. CloudBase calls
 * `main(event, context)`; the answer is the SPEC envelope (`{ ok, data }` / `{ ok, error }`).
 *
 * - Identity only from the invocation context (`app.auth().getUserInfo().openId`, i.e. WX_OPENID).
 *   The `userInfo` field WeChat adds to the event of a mini program call is dropped unread, and any
 *   other unknown field (an `openid` in the payload, say) is refused by the action's strict schema.
 * - The same `handle()` the local gateway uses: validation, guards, use case, envelope.
 * - After a successful call, queued subscribe-message pushes are sent, best effort: a failure is
 *   logged and never changes the answer (the push stays queued or is marked failed).
 */
import type { Envelope } from '../../../typings/api';
import { handle, type FunctionDef, type Logger } from '../app/dispatch';
import type { Deps } from '../app/context';
import { asOfToday } from '../handlers/asOfToday';
import { flushPushes } from '../usecases/messages';
import { callerOpenid, getCloudRuntime, type CloudRuntime } from './deps';

/** Events above this size are refused like the gateway refuses bodies (SPEC §9: 64 KiB). */
export const MAX_EVENT_BYTES = 64 * 1024;

export type CloudMain = (event: unknown, context?: unknown) => Promise<Envelope<unknown>>;

export function cloudMain(
  fnName: string,
  def: FunctionDef,
  runtime: () => CloudRuntime = getCloudRuntime,
): CloudMain {
  const logger = functionLogger(fnName);
  const actions = asOfToday(def);
  return async function main(event: unknown): Promise<Envelope<unknown>> {
    let rt: CloudRuntime;
    try {
      rt = runtime();
    } catch (err) {
      logger.error(`${fnName}: cannot start (check the function's environment variables)`, err);
      return internalError();
    }
    if (eventBytes(event) > MAX_EVENT_BYTES) {
      return { ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大（上限 64 KiB）' } };
    }
    const openid = callerOpenid(rt.app);
    const result = await handle(fnName, actions, withoutPlatformFields(event), openid, rt.deps, logger);
    if (result.body.ok) await flushBestEffort(rt.deps, rt.config.pushFlushLimit, logger);
    return result.body;
  };
}

/** Drop what the platform adds to a mini program call's event (`userInfo: { appId, openId }`). */
export function withoutPlatformFields(event: unknown): unknown {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return event;
  if (!Object.prototype.hasOwnProperty.call(event, 'userInfo')) return event;
  const { userInfo: _ignored, ...rest } = event as Record<string, unknown>;
  return rest;
}

export async function flushBestEffort(deps: Deps, limit: number, logger: Logger): Promise<number> {
  if (!deps.notifier.enabled || limit === 0) return 0;
  try {
    return await flushPushes(deps, limit);
  } catch (err) {
    logger.error('sending queued pushes failed (they stay queued)', err);
    return 0;
  }
}

export function functionLogger(fnName: string): Logger {
  return { error: (message, err) => console.error(`[${fnName}] ${message}`, err) };
}

export function internalError(): Envelope<never> {
  return { ok: false, error: { code: 'INTERNAL', message: '系统繁忙，请稍后再试' } };
}

function eventBytes(event: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(event) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
