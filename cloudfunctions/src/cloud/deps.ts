/**
 * Composition root of the cloud: one CloudBase app per function instance (created on the first
 * invocation and reused while the instance stays warm), the CloudBase store over its database,
 * the system clock (or the sandbox clock kept in meta/clock when SANDBOX_ENABLED=true), the
 * checked policy, the subscribe-message notifier, and configuration from the environment.
 *
 * Cloud code only: it must never import app/local.ts, the gateway or the SQLite adapter (the
 * build fails if a bundle contains them).
 */
import { StoreClock } from '../adapters/clocks';
import { createCloudbaseStore, type SdkDb } from '../adapters/cloudbase/cloudbaseStore';
import type { Deps } from '../app/context';
import { ACTIVE_POLICY } from '../core/policyLoader';
import { systemClock } from '../ports/clock';
import { cloudConfigFromEnv, type CloudConfig } from './config';
import { createSubscribeNotifier } from './notifier';

/** The parts of the @cloudbase/node-sdk app the functions use (typed structurally, like the store). */
export interface CloudApp {
  database(): SdkDb;
  auth(): { getUserInfo(): { openId?: string } };
  callWxOpenApi(options: { apiName: string; requestData: unknown }): Promise<unknown>;
  callFunction(
    options: { name: string; data?: unknown },
    opts?: { timeout?: number },
  ): Promise<{ result?: unknown; code?: string; message?: string }>;
}

interface TcbModule {
  init(config: Record<string, unknown>): CloudApp;
  SYMBOL_CURRENT_ENV: symbol;
}

export interface CloudRuntime {
  app: CloudApp;
  deps: Deps;
  config: CloudConfig;
}

/** Build the runtime from an environment; `tcb` is injectable for tests. */
export function createCloudRuntime(
  env: Record<string, string | undefined> = process.env,
  tcb: TcbModule = loadSdk(),
): CloudRuntime {
  const config = cloudConfigFromEnv(env);
  const init: Record<string, unknown> = {
    // In a cloud function the SDK resolves SYMBOL_CURRENT_ENV to the function's own environment.
    env: config.envId ?? tcb.SYMBOL_CURRENT_ENV,
  };
  if (config.serviceUrl) init.serviceUrl = config.serviceUrl;
  const app = tcb.init(init);
  const store = createCloudbaseStore({ db: app.database() });
  return {
    app,
    config,
    deps: {
      store,
      clock: config.app.sandboxEnabled ? new StoreClock(store) : systemClock,
      policy: ACTIVE_POLICY,
      notifier: createSubscribeNotifier(app, config.subscribe.templates, config.subscribe.state),
      config: config.app,
    },
  };
}

let shared: CloudRuntime | undefined;

/** The instance-wide runtime, created on first use. */
export function getCloudRuntime(): CloudRuntime {
  shared ??= createCloudRuntime();
  return shared;
}

function loadSdk(): TcbModule {
  // External in the bundle: installed in the cloud from the function's package.json.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@cloudbase/node-sdk') as TcbModule;
}

const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The caller's openid, from the invocation context only: the SDK reads WX_OPENID, which CloudBase
 * sets for a call from the mini program (WX_CONTEXT_KEYS lists it). Timer and server-side calls
 * have none. Never from the event.
 */
export function callerOpenid(app: CloudApp): string | undefined {
  const openId = app.auth().getUserInfo().openId;
  return typeof openId === 'string' && OPENID.test(openId) ? openId : undefined;
}
