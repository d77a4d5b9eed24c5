/**
 * `npm run deploy`: build, then deploy the database (collections, indexes, security rules) and
 * the eight functions to the CloudBase environment TCB_ENV with the CloudBase CLI (`tcb`).
 *
 *   TCB_ENV=<env id> [OPERATOR_OPENIDS=… SUBSCRIBE_TEMPLATES='{…}' …] npm run deploy [-- --dry-run]
 *
 * 1. Preflight, each failing with the fix: TCB_ENV set; `tcb` installed
 *    (npm i -g @cloudbase/cli); logged in (`tcb login`).
 * 2. `npm run build` (scripts/build.ts): bundles, config.json files, cloudbaserc.json.
 * 3. Renders .tmp/cloudbaserc.deploy.json from cloudbaserc.json: envId = TCB_ENV, and every
 *    function's environment variables from this shell (manifest defaults otherwise). The CLI
 *    REPLACES a function's whole environment on deploy, so what is not set here is not set there.
 *    SUBSCRIBE_TEMPLATES is validated, then JSON-encoded once more: the CLI parses any
 *    object-looking string of its config into an object; the functions accept both forms.
 * 4. `tcb framework deploy database` (the @cloudbase/framework-plugin-database entry:
 *    collections, indexes, CUSTOM rules from database/rules) and
 *    `tcb fn deploy --all --force --yes` (code, config, triggers; dependencies installed in the cloud).
 * `--dry-run` stops before step 4 and prints the commands.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ENV_VARS, type FunctionName } from '../cloudfunctions/src/cloud/manifest';
import { ConfigError, parseSubscribeTemplates } from '../cloudfunctions/src/cloud/config';
import { BuildError, ROOT, runBuild } from './build';

export class DeployError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployError';
  }
}

const TCB = process.env.TCB_CLI || 'tcb';
const DEPLOY_CONFIG = '.tmp/cloudbaserc.deploy.json';

interface CliResult {
  status: number | null;
  output: string;
  missing: boolean;
}

function tcb(args: string[], timeoutMs = 60_000): CliResult {
  const r = spawnSync(TCB, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, missing };
}

export function preflight(env: NodeJS.ProcessEnv): string {
  const envId = env.TCB_ENV?.trim();
  if (!envId) {
    throw new DeployError(
      'TCB_ENV is not set. Export your CloudBase environment id first: TCB_ENV=<env id> npm run deploy ' +
        '(云开发控制台 → 环境 → 环境 ID).',
    );
  }
  const version = tcb(['--version'], 30_000);
  if (version.missing) {
    throw new DeployError(
      `The CloudBase CLI (\`${TCB}\`) is not installed. Install it with: npm i -g @cloudbase/cli ` +
        '(or point TCB_CLI at it), log in with `tcb login`, then run npm run deploy again.',
    );
  }
  if (version.status !== 0) {
    throw new DeployError(`\`${TCB} --version\` failed: ${tail(version.output)}`);
  }
  const envs = tcb(['env', 'list']);
  if (envs.status !== 0 || /无有效身份信息|请使用 cloudbase login|not logged in/i.test(envs.output)) {
    throw new DeployError(
      `The CloudBase CLI is not logged in (\`${TCB} env list\`: ${tail(envs.output)}). ` +
        'Log in with: tcb login  (or, with an API key: tcb login --key), then run npm run deploy again.',
    );
  }
  if (!envs.output.includes(envId)) {
    console.warn(
      `warning: \`${TCB} env list\` does not list ${envId}; the deploy will fail if it is not yours.`,
    );
  }
  return envId;
}

interface CliFunction {
  name: FunctionName;
  envVariables: Record<string, string>;
  [key: string]: unknown;
}

/** cloudbaserc.json with envId and the functions' environment variables from `env`. */
export function renderDeployConfig(
  base: Record<string, unknown>,
  envId: string,
  env: NodeJS.ProcessEnv,
): object {
  const functions = (base.functions as CliFunction[]).map((fn) => {
    const vars: Record<string, string> = {};
    for (const spec of ENV_VARS) {
      if (spec.functions !== 'all' && !spec.functions.includes(fn.name)) continue;
      const value = (env[spec.name] ?? spec.default).trim();
      if (value === '') continue;
      vars[spec.name] = spec.name === 'SUBSCRIBE_TEMPLATES' ? JSON.stringify(value) : value;
    }
    return { ...fn, envVariables: vars };
  });
  return { ...base, envId, functions };
}

function checkVariables(env: NodeJS.ProcessEnv): void {
  try {
    parseSubscribeTemplates((env.SUBSCRIBE_TEMPLATES ?? '').trim());
  } catch (err) {
    if (err instanceof ConfigError) throw new DeployError(err.message);
    throw err;
  }
  if ((env.SANDBOX_ENABLED ?? '').trim() === 'true') {
    console.warn(
      'warning: SANDBOX_ENABLED=true — any user of this environment can then edit profiles and move the clock. Never in production.',
    );
  }
  if (!(env.OPERATOR_OPENIDS ?? '').trim()) {
    console.warn('note: OPERATOR_OPENIDS is empty — nobody can call the admin function.');
  }
}

export async function deploy(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const dryRun = argv.includes('--dry-run');
  const envId = preflight(env);
  checkVariables(env);
  await runBuild();

  const base = JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudbaserc.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const file = path.join(ROOT, DEPLOY_CONFIG);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(renderDeployConfig(base, envId, env), null, 2)}\n`);

  const steps: { what: string; args: string[] }[] = [
    {
      what: 'database: collections, indexes and security rules',
      args: ['--config-file', DEPLOY_CONFIG, 'framework', 'deploy', 'database', '-e', envId],
    },
    {
      what: 'functions: code, configuration and triggers',
      args: ['--config-file', DEPLOY_CONFIG, 'fn', 'deploy', '--all', '--force', '--yes', '-e', envId],
    },
  ];
  for (const step of steps) {
    console.log(`\n▸ ${step.what}\n  ${TCB} ${step.args.join(' ')}`);
    if (dryRun) continue;
    const r = spawnSync(TCB, step.args, { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) {
      throw new DeployError(`\`${TCB} ${step.args.join(' ')}\` failed (exit ${r.status ?? r.signal}).`);
    }
  }
  console.log(dryRun ? `\ndry run: nothing deployed (${DEPLOY_CONFIG} written)` : `\ndeployed to ${envId}`);
}

function tail(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines.slice(-3).join(' / ') || '(no output)';
}

if (require.main === module) {
  deploy(process.argv.slice(2)).catch((err: unknown) => {
    if (err instanceof DeployError || err instanceof BuildError) {
      console.error(`deploy failed: ${err.message}`);
    } else {
      console.error(err);
    }
    process.exit(1);
  });
}
