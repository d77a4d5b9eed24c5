/**
 * `pay.spend` through the local gateway over loopback, 16 concurrent clients (closed loop, each
 * sends its next request when its answer arrives), against `bench.noop` through the same gateway.
 * The gateway runs in its own process (bench/gateway-child.ts) on a fresh data directory; the
 * clients share one keep-alive agent here. Phases alternate (noop, spend, four times each) after
 * a warm-up of both, so drift on a shared machine hits both alike; latencies are per request. The
 * gateway's CPU time per request (all its threads, and its main thread, from /proc) and the
 * clients' say where a latency comes from: with 16 clients p50 ≈ 16 × the busier side's time.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { compiled } from './compile';

const ROOT = path.resolve(__dirname, '..');
const CLIENTS = 16;
/** Noop and spend phases measured, alternating: more, shorter phases let drift hit both alike. */
const ROUNDS = 4;
const GROCERY = { id: 'm_grocery', name: '华润万家', category: 'grocery', scene: 'offline' };

export interface GatewayOptions {
  /** Measured requests per route (split over ROUNDS phases each). */
  requests: number;
  accounts: number;
  dataDir: string;
  /** Extra Node options for the gateway process (e.g. --cpu-prof to profile it). */
  nodeArgs?: string[];
  /** Another gateway script (e.g. an older build of the product, for a before/after). */
  script?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function gatewayFigures(
  options: GatewayOptions,
): Promise<{ figures: Record<string, number>; notes: string[] }> {
  fs.rmSync(options.dataDir, { recursive: true, force: true });
  fs.mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      options.script ?? compiled('gateway-child'),
      options.dataDir,
      String(options.accounts),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString('utf8');
        const m = /\{"port":(\d+)\}/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`gateway exited (${code}) before listening`)));
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    let seq = 0;
    const post = (
      fn: string,
      body: Record<string, unknown>,
      openid: string,
    ): Promise<{ ms: number; ok: boolean }> =>
      new Promise((resolve, reject) => {
        const text = JSON.stringify(body);
        const started = process.hrtime.bigint();
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: `/api/${fn}`,
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(text),
              'x-openid': openid,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const ms = Number(process.hrtime.bigint() - started) / 1e6;
              const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean };
              resolve({ ms, ok: answer.ok });
            });
          },
        );
        req.on('error', reject);
        req.end(text);
      });
    const spend = () => {
      seq += 1;
      const openid = `gw${String((seq * 7919) % options.accounts).padStart(6, '0')}`;
      return post(
        'pay',
        {
          action: 'spend',
          requestId: `bench-${process.pid}-${seq}`,
          amount: `${(seq % 50) + 1}.${String(seq % 100).padStart(2, '0')}`,
          merchant: GROCERY,
        },
        openid,
      );
    };
    const noop = () => post('bench', { action: 'noop' }, 'gw000000');
    const phase = async (send: () => Promise<{ ms: number; ok: boolean }>, total: number) => {
      const latencies: number[] = [];
      let issued = 0;
      let refused = 0;
      const cpuBefore = cpuOf(child.pid);
      const mainBefore = cpuOf(child.pid, child.pid);
      const clientBefore = process.cpuUsage();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (issued < total) {
            issued += 1;
            const r = await send();
            latencies.push(r.ms);
            if (!r.ok) refused += 1;
          }
        }),
      );
      const cpuAfter = cpuOf(child.pid);
      const mainAfter = cpuOf(child.pid, child.pid);
      const client = process.cpuUsage(clientBefore);
      const perRequest = (before: number | null, after: number | null) =>
        before !== null && after !== null ? ((after - before) * 1000) / total : null;
      return {
        latencies,
        refused,
        seconds: (performance.now() - started) / 1000,
        cpuUs: perRequest(cpuBefore, cpuAfter),
        mainUs: perRequest(mainBefore, mainAfter),
        clientUs: (client.user + client.system) / total,
      };
    };

    // Warm both paths up (the JIT): half as many requests as will be measured.
    await phase(noop, Math.ceil(options.requests / 2));
    await phase(spend, Math.ceil(options.requests / 2));
    const share = Math.ceil(options.requests / ROUNDS);
    type Phase = Awaited<ReturnType<typeof phase>>;
    const noopPhases: Phase[] = [];
    const spendPhases: Phase[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      noopPhases.push(await phase(noop, share));
      spendPhases.push(await phase(spend, share));
    }
    const noops = noopPhases.flatMap((p) => p.latencies);
    const spends = spendPhases.flatMap((p) => p.latencies);
    const refused = spendPhases.reduce((n, p) => n + p.refused, 0);
    const spendSeconds = spendPhases.reduce((n, p) => n + p.seconds, 0);
    /** A CPU figure's mean per request over the rounds, both routes; none where /proc is absent. */
    const cpu = (key: 'cpuUs' | 'mainUs' | 'clientUs', spendName: string, noopName: string) => {
      const sp = spendPhases.map((p) => p[key]);
      const no = noopPhases.map((p) => p[key]);
      if ([...sp, ...no].some((v) => v === null)) return {};
      return { [spendName]: Math.round(mean(sp as number[])), [noopName]: Math.round(mean(no as number[])) };
    };
    agent.destroy();
    // SQLite reuses its WAL in place, so the file's size is the longest it has been.
    const walFile = path.join(options.dataDir, 'fenfu.db-wal');
    const walMb = fs.existsSync(walFile) ? fs.statSync(walFile).size / 1e6 : null;
    noops.sort((a, b) => a - b);
    spends.sort((a, b) => a - b);
    const p50 = percentile(spends, 50);
    const noopP50 = percentile(noops, 50);
    const notes =
      refused > 0 ? [`${refused} of ${spends.length} measured spends were refused (still answered)`] : [];
    return {
      figures: {
        'gateway.requests': spends.length,
        'gateway.p50_ms': round2(p50),
        'gateway.p99_ms': round2(percentile(spends, 99)),
        'gateway.noop_p50_ms': round2(noopP50),
        'gateway.noop_p99_ms': round2(percentile(noops, 99)),
        'gateway.ratio': round2(p50 / noopP50),
        'gateway.spends_per_s': Math.round(spends.length / spendSeconds),
        ...(walMb !== null ? { 'gateway.wal_mb': round2(walMb) } : {}),
        // The gateway process's CPU time per request, where /proc tells it: every thread, and its
        // main thread alone (the one serving HTTP and running the use cases and SQLite).
        ...cpu('cpuUs', 'gateway.spend_cpu_us', 'gateway.noop_cpu_us'),
        ...cpu('mainUs', 'gateway.spend_main_cpu_us', 'gateway.noop_main_cpu_us'),
        // The clients' side (this process) per request: with 16 clients, each p50 is about 16 × the
        // busier side's time, so the no-op's p50 is often the clients' own.
        ...cpu('clientUs', 'gateway.client_spend_cpu_us', 'gateway.client_noop_cpu_us'),
      },
      notes,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(options.dataDir, { recursive: true, force: true });
  }
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * CPU time (user + system) so far, in ms, of a process (every thread) or of one of its threads (the
 * main thread's id is the process's); null where /proc is absent.
 */
function cpuOf(pid: number | undefined, tid?: number): number | null {
  if (pid === undefined) return null;
  const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  if (!fs.existsSync(file)) return null;
  const stat = fs.readFileSync(file, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS_PER_S = 100;

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
