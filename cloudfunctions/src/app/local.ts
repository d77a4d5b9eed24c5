/**
 * Composition root of the local cloud: SQLite under DATA_DIR, the sandbox clock kept in the
 * store, the inbox-only notifier, and configuration from the environment.
 */
import path from 'node:path';
import { SqliteStore } from '../adapters/sqlite/sqliteStore';
import { StoreClock } from '../adapters/clocks';
import { ACTIVE_POLICY } from '../core/policyLoader';
import { type Clock, systemClock } from '../ports/clock';
import { inboxOnlyNotifier } from '../ports/notifier';
import type { AppConfig, Deps } from './context';
import { DEMO_PERSONAS, profileDoc } from '../usecases/profiles';
import type { Doc } from '../ports/store';

export interface LocalOptions {
  dataDir: string;
  config?: Partial<AppConfig>;
  clock?: Clock;
}

export function configFromEnv(env: NodeJS.ProcessEnv): AppConfig {
  return {
    // The sandbox is on locally unless explicitly disabled.
    sandboxEnabled: env.SANDBOX_ENABLED !== 'false',
    operatorOpenids: (env.OPERATOR_OPENIDS ?? 'demo_operator')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

export function createLocalDeps(options: LocalOptions): Deps {
  const store = new SqliteStore({ file: path.join(options.dataDir, 'fenfu.db') });
  const config = { ...configFromEnv({}), ...options.config };
  return {
    store,
    // As in the cloud (cloud/deps.ts): time moves only while the sandbox is on; off, a clock the
    // sandbox once moved no longer applies, and "now" costs no read.
    clock: options.clock ?? (config.sandboxEnabled ? new StoreClock(store) : systemClock),
    policy: ACTIVE_POLICY,
    notifier: inboxOnlyNotifier,
    config,
  };
}

/** Seed the demo personas once; returns true when this start created them. */
export async function seedDemoPersonas(deps: Deps): Promise<boolean> {
  return deps.store.transaction(async (tx) => {
    if (await tx.get('meta', 'seeded')) return false;
    for (const [openid, persona] of Object.entries(DEMO_PERSONAS)) {
      await tx.put('profiles', profileDoc(openid, persona.profile));
    }
    await tx.put<Doc>('meta', { _id: 'seeded', at: Date.now() });
    return true;
  });
}
