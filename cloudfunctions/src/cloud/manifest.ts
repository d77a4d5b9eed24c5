/**
 * What gets deployed: the eight cloud functions with their runtime settings, and every
 * environment variable the functions read, with its default. Pure data: the build writes each
 * function's config.json and cloudbaserc.json from it, deploy renders the variables from the
 * deployer's shell, the cloud code takes its defaults from it, and docs/cloudbase.md lists it.
 */

export const FUNCTION_NAMES = [
  'credit',
  'pay',
  'bill',
  'risk',
  'inbox',
  'admin',
  'sandbox',
  'scheduler',
] as const;

export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** CloudBase's Node.js runtime the bundles target (esbuild `target: node16`). */
export const RUNTIME = 'Nodejs16.13';

export interface TimerTrigger {
  name: string;
  type: 'timer';
  /** CloudBase cron: seconds minutes hours day-of-month month day-of-week year (7 fields). */
  config: string;
}

export interface FunctionSpec {
  description: string;
  /** Seconds; CloudBase allows 1–60 for these functions. */
  timeout: number;
  /** MB: 128, 256, 512, 1024 or 2048. */
  memorySize: number;
  triggers: TimerTrigger[];
}

/**
 * User-facing calls are short transactions (a few document reads and writes), but a write conflict
 * is retried with backoff for up to a few seconds and queued pushes are flushed afterwards: 20 s.
 * The scheduler and the sandbox (which runs the scheduler to "now") get the maximum, 60 s, and
 * bound their own work below it (SCHEDULER_BUDGET_MS).
 */
export const FUNCTIONS: Record<FunctionName, FunctionSpec> = {
  credit: { description: '分付：开通、额度、状态、重新评估', timeout: 20, memorySize: 256, triggers: [] },
  pay: { description: '分付：消费', timeout: 20, memorySize: 256, triggers: [] },
  bill: { description: '分付：账单、还款、分期、自动还款', timeout: 20, memorySize: 256, triggers: [] },
  risk: { description: '分付：风险事件与申诉', timeout: 20, memorySize: 256, triggers: [] },
  inbox: { description: '分付：站内消息与订阅', timeout: 20, memorySize: 256, triggers: [] },
  admin: { description: '分付：运营操作（仅运营人员）', timeout: 20, memorySize: 256, triggers: [] },
  sandbox: { description: '分付：沙箱（默认关闭）', timeout: 60, memorySize: 256, triggers: [] },
  scheduler: {
    description: '分付：每日批处理（账单、利息、自动还款、逾期、重新评估、提醒、申诉期限）',
    timeout: 60,
    memorySize: 256,
    // Every day at 00:05:00 (Asia/Shanghai, the environment's time zone).
    triggers: [{ name: 'daily', type: 'timer', config: '0 5 0 * * * *' }],
  },
};

export interface EnvVarSpec {
  name: string;
  /** Value deployed when the deployer's shell does not set it ('' = unset/empty). */
  default: string;
  /** Which functions read it. */
  functions: readonly FunctionName[] | 'all';
  description: string;
}

const USER_FUNCTIONS: readonly FunctionName[] = [
  'credit',
  'pay',
  'bill',
  'risk',
  'inbox',
  'admin',
  'sandbox',
];

/** Every variable the functions read from their environment (TCB_ENV is special: see below). */
export const ENV_VARS: readonly EnvVarSpec[] = [
  {
    name: 'OPERATOR_OPENIDS',
    default: '',
    functions: 'all',
    description:
      'Comma-separated openids allowed to call `admin` (and to call `scheduler` by hand). Empty: nobody.',
  },
  {
    name: 'SUBSCRIBE_TEMPLATES',
    default: '',
    functions: 'all',
    description:
      'JSON: message type → subscribe-message template id, or → `{ "id", "fields" }` (see "Subscribe messages"). Empty: no pushes, the inbox only.',
  },
  {
    name: 'SUBSCRIBE_STATE',
    default: 'formal',
    functions: 'all',
    description:
      'Which mini program version a push opens: `formal`, `trial` or `developer` (`miniprogram_state`).',
  },
  {
    name: 'SANDBOX_ENABLED',
    default: 'false',
    functions: 'all',
    description:
      '`true` opens the `sandbox` function AND makes every function use the movable sandbox clock (meta/clock). Never in production.',
  },
  {
    name: 'SCHEDULER_MAX_ACCOUNTS',
    default: '2000',
    functions: ['scheduler'],
    description: 'At most this many accounts per scheduler invocation (the rest wait for the next one).',
  },
  {
    name: 'SCHEDULER_BUDGET_MS',
    default: '30000',
    functions: ['scheduler'],
    description: 'Wall-clock budget of one invocation: no new batch starts after it (function timeout 60 s).',
  },
  {
    name: 'SCHEDULER_BATCH',
    default: '100',
    functions: ['scheduler'],
    description:
      'Accounts in the first batch of an invocation; later batches are sized from the measured time per account to fill the budget.',
  },
  {
    name: 'SCHEDULER_FANOUT',
    default: '0',
    functions: ['scheduler'],
    description:
      'Timer invocations split the 64 shards into this many groups and invoke `scheduler` once per group, in parallel. 0 or 1: run everything in the timer invocation.',
  },
  {
    name: 'PUSH_FLUSH_LIMIT',
    default: '10',
    functions: USER_FUNCTIONS,
    description: 'Queued pushes a user-facing call sends after it succeeded (best effort).',
  },
  {
    name: 'SCHEDULER_PUSH_LIMIT',
    default: '200',
    functions: ['scheduler'],
    description:
      'Queued pushes the timer invocation sends after its run (shard-group invocations send none, so no two send the same push).',
  },
];

/**
 * The variables with a non-empty default that a function's config.json / cloudbaserc.json entry
 * carries (empty ones are left out: unset and empty mean the same to the functions).
 */
export function envDefaultsFor(fn: FunctionName): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of ENV_VARS) {
    if ((v.functions === 'all' || v.functions.includes(fn)) && v.default !== '') out[v.name] = v.default;
  }
  return out;
}

/** Default of a variable by name (the cloud code's fallback when the variable is unset or empty). */
export function envDefault(name: string): string {
  return ENV_VARS.find((v) => v.name === name)?.default ?? '';
}
