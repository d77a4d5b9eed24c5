/**
 * `npm start`: the local cloud. Serves every cloud function on HOST:PORT with data in DATA_DIR,
 * seeds the demo personas on first start, and shuts down cleanly on SIGTERM/SIGINT.
 */
import path from 'node:path';
import { configFromEnv, createLocalDeps, seedDemoPersonas } from '../app/local';
import { FUNCTIONS } from '../handlers';
import { DEMO_PERSONAS } from '../usecases/profiles';
import { runSchedulerUntil } from '../usecases/scheduler';
import { createGateway } from './server';

async function main(): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
  const deps = createLocalDeps({ dataDir, config: configFromEnv(process.env) });
  const seeded = await seedDemoPersonas(deps);
  const quiet = process.env.LOG_REQUESTS === 'false';
  const server = createGateway({
    deps,
    functions: FUNCTIONS,
    log: quiet ? undefined : (line) => console.log(`${new Date().toISOString()} ${line}`),
  });

  server.listen(port, host, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    const base = `http://${host}:${actual}`;
    console.log(
      `分付 local cloud listening on ${base} (data: ${dataDir}${seeded ? ', demo personas seeded' : ''})`,
    );
    console.log(
      `  sandbox ${deps.config.sandboxEnabled ? 'on' : 'off'}; operators: ${deps.config.operatorOpenids.join(', ')}`,
    );
    console.log('  demo users (send as the X-Openid header):');
    for (const [openid, persona] of Object.entries(DEMO_PERSONAS))
      console.log(`    ${openid.padEnd(12)} ${persona.label}`);
    console.log(
      `  try: curl -s ${base}/api/credit -H 'X-Openid: demo_strong' -d '{"action":"apply","channel":"checkout","annualIncome":"240000.00"}'`,
    );
  });

  // The local stand-in for the cloud's timer trigger: catch the scheduler up to "now" (which the
  // sandbox clock may have moved) every SCHEDULER_TICK_MS; 0 disables it.
  const tickMs = Number(process.env.SCHEDULER_TICK_MS ?? 60_000);
  let ticking = false;
  const tick = async () => {
    if (ticking) return;
    ticking = true;
    try {
      await runSchedulerUntil(deps, () => ({ maxAccounts: 500 }));
    } catch (err) {
      console.error('scheduler tick failed', err);
    } finally {
      ticking = false;
    }
  };
  const timer = tickMs > 0 ? setInterval(() => void tick(), tickMs) : null;
  timer?.unref();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing`);
    if (timer) clearInterval(timer);
    server.close(() => {
      deps.store.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    // Idle keep-alive sockets would hold close() open.
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
