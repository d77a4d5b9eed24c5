/**
 * The gateway under test, in its own process: the local composition root as `npm start` runs it
 * with the sandbox off (SQLite under the given data directory, the machine's clock), `accounts`
 * open accounts, and every cloud function plus `bench.noop` (no work: the same HTTP, JSON,
 * dispatch and validation path, then an empty answer). Prints `{"port":…}` once listening;
 * SIGTERM closes it.
 */
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { action, handle, type FunctionDef } from '../cloudfunctions/src/app/dispatch';
import { createLocalDeps } from '../cloudfunctions/src/app/local';
import { createGateway } from '../cloudfunctions/src/gateway/server';
import { FUNCTIONS } from '../cloudfunctions/src/handlers';
import { DEMO_PERSONAS, profileDoc } from '../cloudfunctions/src/usecases/profiles';

async function main(): Promise<void> {
  const [dataDir, count] = [process.argv[2] ?? '.tmp/bench/gateway', Number(process.argv[3] ?? 1000)];
  const deps = createLocalDeps({ dataDir, config: { sandboxEnabled: false } });
  const strong = DEMO_PERSONAS.demo_strong!.profile;
  const silent = { error: () => undefined };
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const openid = `gw${String(i).padStart(6, '0')}`;
      await deps.store.transaction((tx) => tx.put('profiles', profileDoc(openid, strong)));
      const r = await handle(
        'credit',
        FUNCTIONS.credit!,
        { action: 'apply', channel: 'checkout', annualIncome: '240000.00' },
        openid,
        deps,
        silent,
      );
      if (r.status !== 200) throw new Error(`apply ${openid}: ${JSON.stringify(r.body)}`);
    }),
  );
  const bench: FunctionDef = {
    noop: action({ input: z.strictObject({}), run: async () => ({}) }),
  };
  const server = createGateway({ deps, functions: { ...FUNCTIONS, bench } });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  process.on('SIGTERM', () => {
    server.close(() => void deps.store.close().then(() => process.exit(0)));
    server.closeAllConnections();
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
