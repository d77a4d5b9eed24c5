/**
 * Configuration of the cloud functions, from their environment variables (set per function in the
 * CloudBase console, or deployed from cloudbaserc.json / config.json). Unset or empty variables
 * take the defaults listed in manifest.ts. Nothing here touches the SDK.
 */
import type { MessageType } from '../../../typings/api';
import type { AppConfig } from '../app/context';
import { MESSAGE_TYPES, SHARDS } from '../usecases/documents';
import { envDefault } from './manifest';

export { MESSAGE_TYPES };

/** Where a template field's value comes from. */
export type FieldSource = 'title' | 'body' | 'time' | 'date';

export interface SubscribeTemplate {
  id: string;
  /** Template keyword (e.g. `thing1`) → what fills it. */
  fields: Record<string, FieldSource>;
}

export type SubscribeTemplates = Partial<Record<MessageType, SubscribeTemplate>>;

/** The keywords a template is expected to have when only its id is configured. */
export const DEFAULT_TEMPLATE_FIELDS: Readonly<Record<string, FieldSource>> = {
  thing1: 'title',
  thing2: 'body',
  time3: 'time',
};

export type MiniprogramState = 'formal' | 'trial' | 'developer';

export interface CloudConfig {
  app: AppConfig;
  /** CloudBase environment id; undefined = the function's own environment (SYMBOL_CURRENT_ENV). */
  envId: string | undefined;
  /** Endpoint override for the SDK (`serviceUrl`): tests and private deployments only. */
  serviceUrl: string | undefined;
  subscribe: { templates: SubscribeTemplates; state: MiniprogramState };
  scheduler: { maxAccounts: number; budgetMs: number; batch: number; fanout: number; pushLimit: number };
  pushFlushLimit: number;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function cloudConfigFromEnv(env: Env): CloudConfig {
  const get = (name: string): string => {
    const value = env[name]?.trim();
    return value ? value : envDefault(name);
  };
  const state = get('SUBSCRIBE_STATE');
  if (state !== 'formal' && state !== 'trial' && state !== 'developer') {
    throw new ConfigError(`SUBSCRIBE_STATE must be formal, trial or developer, not ${state}`);
  }
  return {
    app: {
      // Off in the cloud unless explicitly enabled.
      sandboxEnabled: get('SANDBOX_ENABLED') === 'true',
      operatorOpenids: get('OPERATOR_OPENIDS')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    },
    envId: env.TCB_ENV?.trim() || undefined,
    serviceUrl: env.TCB_SERVICE_URL?.trim() || undefined,
    subscribe: { templates: parseSubscribeTemplates(get('SUBSCRIBE_TEMPLATES')), state },
    scheduler: {
      maxAccounts: positiveInt(get, 'SCHEDULER_MAX_ACCOUNTS'),
      budgetMs: positiveInt(get, 'SCHEDULER_BUDGET_MS'),
      batch: positiveInt(get, 'SCHEDULER_BATCH'),
      fanout: Math.min(SHARDS, nonNegativeInt(get, 'SCHEDULER_FANOUT')),
      pushLimit: nonNegativeInt(get, 'SCHEDULER_PUSH_LIMIT'),
    },
    pushFlushLimit: nonNegativeInt(get, 'PUSH_FLUSH_LIMIT'),
  };
}

function nonNegativeInt(get: (name: string) => string, name: string): number {
  const text = get(name);
  if (!/^\d{1,9}$/.test(text)) throw new ConfigError(`${name} must be a whole number, not ${text}`);
  return Number(text);
}

function positiveInt(get: (name: string) => string, name: string): number {
  const n = nonNegativeInt(get, name);
  if (n === 0) throw new ConfigError(`${name} must be at least 1`);
  return n;
}

const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const KEYWORD = /^[a-z_]+\d+$/;
const SOURCES: readonly FieldSource[] = ['title', 'body', 'time', 'date'];

/**
 * SUBSCRIBE_TEMPLATES: a JSON object from message type to either a template id (whose keywords
 * are then thing1 = title, thing2 = body, time3 = time) or `{ "id": …, "fields": { keyword: source } }`.
 * A JSON string holding that JSON is accepted too (deploy encodes it so, because the CloudBase CLI
 * turns object-looking strings in its config into objects). Empty: no templates.
 */
export function parseSubscribeTemplates(text: string): SubscribeTemplates {
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
    if (typeof value === 'string') value = JSON.parse(value);
  } catch {
    throw new ConfigError('SUBSCRIBE_TEMPLATES is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('SUBSCRIBE_TEMPLATES must be a JSON object: { "<message type>": "<template id>" }');
  }
  const out: SubscribeTemplates = {};
  for (const [type, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!(MESSAGE_TYPES as readonly string[]).includes(type)) {
      throw new ConfigError(`SUBSCRIBE_TEMPLATES: unknown message type ${type}`);
    }
    const template: SubscribeTemplate =
      typeof entry === 'string'
        ? { id: entry, fields: { ...DEFAULT_TEMPLATE_FIELDS } }
        : {
            id: String((entry as { id?: unknown } | null)?.id ?? ''),
            fields: (entry as { fields?: Record<string, FieldSource> } | null)?.fields ?? {
              ...DEFAULT_TEMPLATE_FIELDS,
            },
          };
    if (!TEMPLATE_ID.test(template.id)) throw new ConfigError(`SUBSCRIBE_TEMPLATES.${type}: bad template id`);
    const keywords = Object.entries(template.fields);
    if (keywords.length === 0) throw new ConfigError(`SUBSCRIBE_TEMPLATES.${type}: no fields`);
    for (const [keyword, source] of keywords) {
      if (!KEYWORD.test(keyword) || !SOURCES.includes(source)) {
        throw new ConfigError(
          `SUBSCRIBE_TEMPLATES.${type}.fields.${keyword}: keyword like thing1, source one of ${SOURCES.join(', ')}`,
        );
      }
    }
    out[type as MessageType] = template;
  }
  return out;
}
