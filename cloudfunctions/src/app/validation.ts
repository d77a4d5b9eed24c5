/**
 * Input validation with zod: unknown fields, wrong types and operator-looking values are refused
 * with INVALID_INPUT naming the field. Money fields use the SPEC's input grammar.
 */
import * as z from 'zod';
import { parseMoney } from '../core/money';
import { parseIso } from '../core/time';
import { AppError } from './errors';

const TYPE_NAMES: Record<string, string> = {
  string: '字符串',
  number: '数字',
  int: '整数',
  boolean: '布尔值（true 或 false）',
  array: '数组',
  object: '对象',
};

/**
 * Zod's messages in Chinese for the fields that give none of their own. Its zh-CN locale keeps
 * type names in English ("期望 string，实际接收 数字"); SPEC §9 wants the message in Chinese, so the
 * common issues are worded here and the rest left to that locale.
 */
export function chineseErrors(): { localeError: z.core.$ZodErrorMap } {
  const zh = z.locales.zhCN().localeError;
  const localeError: z.core.$ZodErrorMap = (issue) => {
    const unit = (origin: unknown) => (origin === 'array' ? ' 项' : origin === 'string' ? ' 个字符' : '');
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined ? '必填' : `须为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
      case 'too_big': {
        const counted = issue.origin === 'array' || issue.origin === 'string';
        const word = counted ? '最多' : issue.inclusive ? '不能大于' : '须小于';
        return `${word} ${String(issue.maximum)}${unit(issue.origin)}`;
      }
      case 'too_small': {
        const counted = issue.origin === 'array' || issue.origin === 'string';
        const word = counted ? '至少' : issue.inclusive ? '不能小于' : '须大于';
        return `${word} ${String(issue.minimum)}${unit(issue.origin)}`;
      }
      case 'invalid_value':
        return `须为 ${issue.values.map((v) => JSON.stringify(v)).join('、')} 之一`;
      default:
        return zh(issue);
    }
  };
  return { localeError };
}

/** A money string to integer fen; `allowZero` for balances, where zero is meaningful. */
function money(allowZero: boolean) {
  return z.string({ error: '须为金额字符串，例如 "100.00"' }).transform((text, ctx) => {
    if (allowZero && /^0(\.0{1,2})?$/.test(text)) return 0;
    const parsed = parseMoney(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.fen;
  });
}

/** Money input: a string in the SPEC grammar, transformed to integer fen. */
export const moneyInput = money(false);

/** A balance-like amount where zero is meaningful (sandbox profile fields): "0.00" or a money input. */
export const balanceInput = money(true);

/** Idempotency key: 8–64 chars of [A-Za-z0-9_-] (SPEC §9). */
export const requestId = z
  .string({ error: '须为字符串' })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '须为 8–64 位字母、数字、下划线或连字符');

/** Opaque document id supplied by the client (statement, transaction, appeal, message ids). */
export const docId = z.string({ error: '须为字符串' }).regex(/^[A-Za-z0-9_-]{1,80}$/, '格式不正确');

export const emptyInput = z.strictObject({});

/** Operator-looking keys (`$gt`, `_.`-style commands) anywhere in the payload, reported by path. */
export function findOperatorKey(value: unknown, path: string[] = []): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const hit = findOperatorKey(value[i], [...path, String(i)]);
      if (hit) return hit;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith('$') || key.startsWith('_')) return [...path, key].join('.');
      const hit = findOperatorKey(inner, [...path, key]);
      if (hit) return hit;
    }
    return null;
  }
  // Leading spaces too: text fields are trimmed after this check, which would reveal the command.
  if (typeof value === 'string' && /^\s*_\.[A-Za-z]/.test(value)) return path.join('.') || '(root)';
  return null;
}

/** No action's input nests deeper than this; deeper payloads are refused before any recursive walk. */
export const MAX_INPUT_DEPTH = 8;

/** The path of the first object or array nested `max` levels deep, or null; never recurses past `max`. */
export function findTooDeep(value: unknown, max = MAX_INPUT_DEPTH, path: string[] = []): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (path.length >= max) return path.join('.');
  for (const [key, inner] of Object.entries(value)) {
    const hit = findTooDeep(inner, max, [...path, key]);
    if (hit !== null) return hit;
  }
  return null;
}

/** Validate `input` against `schema`; throws INVALID_INPUT naming the first offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // A deeply nested payload (64 KiB allows ~32,000 levels) would overflow the stack of the
  // recursive checks below and surface as a 500; it is invalid input.
  const deep = findTooDeep(input);
  if (deep !== null) {
    throw new AppError('INVALID_INPUT', `参数 ${deep} 嵌套层级过深`, { field: deep });
  }
  const operator = findOperatorKey(input);
  if (operator !== null) {
    throw new AppError('INVALID_INPUT', `参数 ${operator} 不被接受`, { field: operator });
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  let field = issue ? issue.path.map(String).join('.') : '';
  if (issue?.code === 'unrecognized_keys' && issue.keys.length > 0) {
    field = [...issue.path.map(String), issue.keys[0]].join('.');
    throw new AppError('INVALID_INPUT', `不支持的参数 ${field}`, { field });
  }
  const message = issue?.message ?? '参数不正确';
  const label = field || '(body)';
  throw new AppError('INVALID_INPUT', `参数 ${label} 不正确：${message}`, { field: label });
}

/** An ISO 8601 instant with an explicit offset, to epoch ms. */
export const isoInstant = z
  .string({ error: '须为 ISO 8601 时间，例如 "2026-12-01T00:00:00+08:00"' })
  .transform((text, ctx) => {
    const at = parseIso(text);
    if (at === null) {
      ctx.addIssue({
        code: 'custom',
        message: '须为带时区的 ISO 8601 时间，例如 "2026-12-01T00:00:00+08:00"',
      });
      return z.NEVER;
    }
    return at;
  });

/** Short free text shown back to people (names, cities): no control characters. */
export function text(max: number) {
  return z
    .string({ error: '须为字符串' })
    .trim()
    .min(1, '不能为空')
    .max(max, `不能超过 ${max} 个字符`)
    .refine((s) => !hasControlChar(s), '含有不支持的字符');
}

function hasControlChar(s: string): boolean {
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
