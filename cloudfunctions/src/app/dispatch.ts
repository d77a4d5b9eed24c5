/**
 * The thin handler: resolves the action, checks identity and guards, validates input, runs the
 * use case, and wraps the answer in the SPEC envelope with its HTTP status. No rules live here.
 */
import * as z from 'zod';
import type { ApiError, Envelope } from '../../../typings/api';
import type { Ctx, Deps } from './context';
import { AppError, httpStatus, isRefusal, Refusal } from './errors';
import { chineseErrors, parseInput } from './validation';

z.config(chineseErrors());

export interface ActionDef<S extends z.ZodType = z.ZodType, R = unknown> {
  input: S;
  /** 'operator': allow-listed openids only; 'sandbox': only when the sandbox is enabled. */
  guard?: 'operator' | 'sandbox';
  run(ctx: Ctx, input: z.output<S>): Promise<R | Refusal>;
}

export type FunctionDef = Record<string, ActionDef>;

/** Typed constructor so `run` sees the schema's output type. */
export function action<S extends z.ZodType, R>(def: ActionDef<S, R>): ActionDef {
  return def as unknown as ActionDef;
}

export interface HandlerResult {
  status: number;
  body: Envelope<unknown>;
}

export interface Logger {
  error(message: string, err: unknown): void;
}

export async function handle(
  fnName: string,
  def: FunctionDef,
  event: unknown,
  openid: string | undefined,
  deps: Deps,
  logger: Logger = { error: (m, e) => console.error(m, e) },
): Promise<HandlerResult> {
  try {
    // Who is asking comes first: an unidentified caller learns nothing about actions or input.
    if (!openid) throw new AppError('UNAUTHENTICATED', '未能识别用户身份，请在微信中重新打开');
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      throw new AppError('INVALID_INPUT', '请求体须为 JSON 对象', { field: '(body)' });
    }
    const { action: actionName, ...params } = event as Record<string, unknown>;
    if (typeof actionName !== 'string') {
      throw new AppError('INVALID_INPUT', '缺少 action 参数', { field: 'action' });
    }
    const entry = Object.prototype.hasOwnProperty.call(def, actionName) ? def[actionName] : undefined;
    if (!entry) throw new AppError('NOT_FOUND', `${fnName} 不支持操作 ${actionName}`, { action: actionName });
    if (entry.guard === 'sandbox' && !deps.config.sandboxEnabled) {
      throw new AppError('FORBIDDEN', '沙箱仅在本地环境开放');
    }
    if (entry.guard === 'operator' && !deps.config.operatorOpenids.includes(openid)) {
      throw new AppError('FORBIDDEN', '仅运营人员可执行此操作');
    }
    const input = parseInput(entry.input, params);
    const result = await entry.run({ openid, deps }, input);
    if (isRefusal(result)) return fail(result.refused);
    return { status: 200, body: { ok: true, data: result } };
  } catch (err) {
    if (err instanceof AppError) return fail(err.toApi());
    logger.error(`${fnName} failed`, err);
    return fail({ code: 'INTERNAL', message: '系统繁忙，请稍后再试' });
  }
}

function fail(error: ApiError): HandlerResult {
  return { status: httpStatus(error.code), body: { ok: false, error } };
}
