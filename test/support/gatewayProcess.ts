/**
 * The real local cloud as a child process: `npm start`'s command (tsx cloudfunctions/src/gateway/main.ts)
 * in its own process group, so a SIGKILL reaches the node server tsx runs. Used by the crash tests.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface GatewayProcess {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];

/** Start the gateway on a free port over `dataDir`; resolve with its URL once it listens. */
export function startGateway(dataDir: string, env: Record<string, string> = {}): Promise<GatewayProcess> {
  const child = spawn(TSX, ['cloudfunctions/src/gateway/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_REQUESTS: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${out}`)), 20_000);
    const onData = () => {
      // main.ts prints the actual address in its first line (PORT=0 picks a free port).
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve({ child, base: m[1]!, output: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

/** Signal the whole process group (tsx and the node server it runs); SIGKILL by default. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Kill every gateway this test file started that is still running (for afterAll). */
export function killAllGateways(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) killGroup(child);
}
