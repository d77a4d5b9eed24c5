/**
 * The local gateway: the same function handlers the cloud runs, behind HTTP on 127.0.0.1.
 * `POST /api/<function>` with a JSON body and `X-Openid` standing in for the WeChat context.
 */
import http from 'node:http';
import type { Envelope, ErrorCode } from '../../../typings/api';
import type { Deps } from '../app/context';
import { handle, FunctionDef, Logger } from '../app/dispatch';
import { httpStatus } from '../app/errors';

export const MAX_BODY_BYTES = 64 * 1024;
const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

export interface GatewayOptions {
  deps: Deps;
  functions: Record<string, FunctionDef>;
  /** One line per request; silent when omitted. */
  log?: (line: string) => void;
  logger?: Logger;
}

export function createGateway(options: GatewayOptions): http.Server {
  const { deps, functions } = options;
  const log = options.log ?? (() => undefined);

  return http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    let label = `${req.method ?? '?'} ${req.url ?? '?'}`;
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        // The mini program's DevTools (local mode) calls from another origin.
        'access-control-allow-origin': '*',
      });
      res.end(text);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`${label} ${status} ${ms.toFixed(1)}ms`);
    };
    const fail = (code: ErrorCode, message: string) => {
      const body: Envelope<never> = { ok: false, error: { code, message } };
      send(httpStatus(code), body);
    };

    // The path alone (no URL object per request: it costs more than the rest of the routing).
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST, GET, OPTIONS',
        'access-control-allow-headers': 'content-type, x-openid',
      });
      res.end();
      return;
    }
    if (req.method === 'GET' && pathname === '/health') {
      send(200, { ok: true, data: { status: 'ok' } });
      return;
    }
    const match = /^\/api\/([A-Za-z]+)$/.exec(pathname);
    if (req.method !== 'POST' || !match) {
      fail('NOT_FOUND', '接口不存在');
      return;
    }
    const fnName = match[1] ?? '';
    const def = Object.prototype.hasOwnProperty.call(functions, fnName) ? functions[fnName] : undefined;
    label = fnName;
    if (!def) {
      fail('NOT_FOUND', `云函数 ${fnName} 不存在`);
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (tooLarge) {
        fail('PAYLOAD_TOO_LARGE', '请求内容过大（上限 64 KiB）');
        return;
      }
      let event: unknown;
      try {
        event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        fail('INVALID_INPUT', '请求体不是合法的 JSON');
        return;
      }
      if (event && typeof event === 'object' && typeof (event as { action?: unknown }).action === 'string') {
        label = `${fnName}.${(event as { action: string }).action}`;
      }
      const header = req.headers['x-openid'];
      const openid = typeof header === 'string' && OPENID.test(header) ? header : undefined;
      handle(fnName, def, event, openid, deps, options.logger).then(
        (result) => send(result.status, result.body),
        () => fail('INTERNAL', '系统繁忙，请稍后再试'),
      );
    });
  });
}
