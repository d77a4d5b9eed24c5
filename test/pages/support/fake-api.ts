/**
 * A fake transport for the service layer's edge (services/transport): everything above it — the typed
 * client, the pages, their WXML — runs for real. Routes answer with data, a refusal envelope, or a
 * promise that never settles (to hold a page in its loading state). Every payload is recorded.
 */
import type { ActionName, ApiError as ApiErrorBody, Envelope, FunctionName } from '../../../typings/api';
import type { ResOf, ReqOf } from '../../../miniprogram/services/api';
import type { Payload, Transport } from '../../../miniprogram/services/transport';
import { TransportError } from '../../../miniprogram/services/transport';

type Answer<F extends FunctionName, A extends ActionName<F>> =
  | { kind: 'data'; value: ResOf<F, A> | ((params: ReqOf<F, A>) => ResOf<F, A>) }
  | { kind: 'error'; error: ApiErrorBody }
  | { kind: 'network' }
  | { kind: 'pending' };

export interface Call {
  fn: FunctionName;
  action: string;
  params: Record<string, unknown>;
}

export class FakeApi {
  readonly calls: Call[] = [];
  private readonly routes = new Map<string, Answer<never, never>>();

  ok<F extends FunctionName, A extends ActionName<F>>(
    fn: F,
    action: A,
    value: ResOf<F, A> | ((params: ReqOf<F, A>) => ResOf<F, A>),
  ): this {
    this.routes.set(`${fn}.${action}`, { kind: 'data', value } as never);
    return this;
  }

  fail<F extends FunctionName>(fn: F, action: ActionName<F>, error: ApiErrorBody): this {
    this.routes.set(`${fn}.${action}`, { kind: 'error', error } as never);
    return this;
  }

  offline<F extends FunctionName>(fn: F, action: ActionName<F>): this {
    this.routes.set(`${fn}.${action}`, { kind: 'network' } as never);
    return this;
  }

  pending<F extends FunctionName>(fn: F, action: ActionName<F>): this {
    this.routes.set(`${fn}.${action}`, { kind: 'pending' } as never);
    return this;
  }

  /** Calls of one action, params without `action`. */
  callsTo(fn: FunctionName, action: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.fn === fn && c.action === action).map((c) => c.params);
  }

  readonly transport: Transport = (fn: FunctionName, payload: Payload): Promise<Envelope<unknown>> => {
    const { action, ...params } = payload;
    this.calls.push({ fn, action, params });
    const answer = this.routes.get(`${fn}.${action}`) as Answer<FunctionName, never> | undefined;
    if (!answer) {
      return Promise.resolve({
        ok: false,
        error: { code: 'NOT_FOUND', message: `测试未提供 ${fn}.${action} 的应答` },
      });
    }
    switch (answer.kind) {
      case 'data': {
        const v = answer.value as unknown;
        const data = typeof v === 'function' ? (v as (p: unknown) => unknown)(params) : v;
        return Promise.resolve({ ok: true, data: JSON.parse(JSON.stringify(data)) });
      }
      case 'error':
        return Promise.resolve({ ok: false, error: answer.error });
      case 'network':
        return Promise.reject(
          new TransportError('无法连接本地服务 http://127.0.0.1:3000，请先运行 npm start', 'NETWORK_ERROR'),
        );
      case 'pending':
        return new Promise(() => undefined);
    }
  };
}
