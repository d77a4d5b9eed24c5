/**
 * `npm run build`: turns the TypeScript sources into deployable CloudBase function folders.
 *
 * For each function of cloudfunctions/src/cloud/manifest.ts:
 *   cloudfunctions/<fn>/index.js      esbuild bundle of cloudfunctions/src/cloud/functions/<fn>.ts
 *                                     (node16, CommonJS, `@cloudbase/node-sdk` external; git-ignored)
 *   cloudfunctions/<fn>/package.json  the only runtime dependency: @cloudbase/node-sdk, pinned
 *   cloudfunctions/<fn>/config.json   cloud-call permission, triggers, timeout, memory, env defaults
 * and, from the same manifest plus database/rules/*.json and COLLECTIONS:
 *   cloudbaserc.json                  the CloudBase CLI config (functions + database plugin)
 *   docs/cloudbase.md                 its generated collections table (between markers)
 *
 * The build fails when a bundle would contain local-only code (better-sqlite3, the gateway, the
 * local composition root, the SQLite adapter) or import anything at run time but the SDK and Node
 * built-ins, when a function folder holds an index.ts, or when a collection has no security rule
 * or a rule lets clients write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { build, type Metafile, type Plugin } from 'esbuild';
import { COLLECTIONS } from '../cloudfunctions/src/ports/collections';
import {
  envDefaultsFor,
  FUNCTION_NAMES,
  FUNCTIONS,
  RUNTIME,
  type FunctionName,
} from '../cloudfunctions/src/cloud/manifest';

export const ROOT = path.resolve(__dirname, '..');
const SDK = '@cloudbase/node-sdk';

/** What each collection holds (the docs table; a new collection must be described here). */
export const COLLECTION_PURPOSE: Record<string, string> = {
  profiles: 'Scoring inputs per user (in production supplied by WeChat Pay)',
  accounts: 'One per user: quota, running balances, risk state, scheduler cursor `lastDay`',
  applications: 'Last credit application decision per user',
  invitations: 'Invitations (channel `invite`)',
  txns: 'Purchases',
  statements: 'Monthly statements',
  plans: 'Installment plans',
  repayments: 'Repayments with their allocation',
  riskEvents: 'Risk events (surge, cash-out pattern, overdue freeze)',
  appeals: 'Appeals against risk events',
  messages: 'Inbox messages and their push state',
  subscriptions: 'Remaining one-time subscribe-message grants per user',
  creditRecords: 'Overdue records (credit history)',
  idempotency: 'Stored first answers of requestIds',
  meta: 'Singletons: scheduler progress, sandbox clock',
};

/** The only read expression a rule may use besides `false`: the owner reads its own documents. */
export const OWNER_READ = 'doc.openid == auth.openid';

export interface Rule {
  read: false | typeof OWNER_READ;
  write: false;
}

/** Code that must never reach a cloud bundle (paths as esbuild's metafile names its inputs). */
const FORBIDDEN_INPUTS: { pattern: RegExp; what: string }[] = [
  { pattern: /(^|\/)node_modules\/better-sqlite3\//, what: 'better-sqlite3' },
  { pattern: /(^|\/)cloudfunctions\/src\/gateway\//, what: 'the local gateway' },
  { pattern: /(^|\/)cloudfunctions\/src\/app\/local\.ts$/, what: 'the local composition root' },
  { pattern: /(^|\/)cloudfunctions\/src\/adapters\/sqlite\//, what: 'the SQLite adapter' },
];

export interface BuiltFunction {
  name: FunctionName;
  file: string;
  bytes: number;
}

export interface BuildReport {
  functions: BuiltFunction[];
  largest: BuiltFunction;
  sdkVersion: string;
}

export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

export interface BuildOptions {
  root?: string;
  log?: (line: string) => void;
}

export async function runBuild(options: BuildOptions = {}): Promise<BuildReport> {
  const root = options.root ?? ROOT;
  const log = options.log ?? ((line: string) => console.log(line));
  const fnRoot = path.join(root, 'cloudfunctions');

  checkFunctionFolders(fnRoot);
  const rules = loadRules(root);
  const sdkVersion = installedSdkVersion(root);
  const version = (readJson(path.join(root, 'package.json')) as { version?: string }).version ?? '0.0.0';

  const zodLocales = onlyUsedZodLocales(usedZodLocales(path.join(root, 'cloudfunctions/src')));
  const built: BuiltFunction[] = [];
  for (const name of FUNCTION_NAMES) {
    const dir = path.join(fnRoot, name);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'index.js');
    const result = await build({
      absWorkingDir: root,
      entryPoints: [path.join(root, 'cloudfunctions/src/cloud/functions', `${name}.ts`)],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node16',
      format: 'cjs',
      // Prefer packages' ES module builds: only those can be tree-shaken (zod's CommonJS build
      // drags in all of itself, about 200 KiB more per function).
      mainFields: ['module', 'main'],
      conditions: ['import'],
      external: [SDK],
      // Whitespace and syntax minified; identifiers kept so stack traces in the CloudBase log
      // name real functions (Node ignores source maps unless told, so none are emitted).
      minifyWhitespace: true,
      minifySyntax: true,
      charset: 'utf8',
      legalComments: 'eof',
      metafile: true,
      write: false,
      logLevel: 'silent',
      banner: {
        js: `/* 分付 cloud function "${name}" — built by scripts/build.ts from cloudfunctions/src; do not edit. */`,
      },
      plugins: [refuseLocalOnly, zodLocales],
    }).catch((err: { errors?: { text: string }[] }) => {
      const detail = err.errors?.map((e) => e.text).join('; ') ?? String(err);
      throw new BuildError(`${name}: ${detail}`);
    });
    const output = result.outputFiles.find((o) => o.path === file);
    if (!output) throw new BuildError(`${name}: esbuild produced no ${file}`);
    checkBundle(name, result.metafile, output.text);
    // Atomic replace: a function being loaded meanwhile (a test, DevTools) never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, output.contents);
    fs.renameSync(tmp, file);
    await writeFormatted(path.join(dir, 'package.json'), json(functionPackage(name, version, sdkVersion)));
    await writeFormatted(path.join(dir, 'config.json'), json(functionConfig(name)));
    built.push({ name, file: path.relative(root, file), bytes: fs.statSync(file).size });
  }

  await writeFormatted(path.join(root, 'cloudbaserc.json'), json(cloudbaserc(rules)));
  await updateDocsTable(path.join(root, 'docs/cloudbase.md'), rules);

  const largest = built.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  for (const f of built) log(`  ${f.file.padEnd(34)} ${kib(f.bytes).padStart(9)}`);
  log(
    `built ${built.length} functions; largest bundle ${largest.name} ${kib(largest.bytes)} (+ ${SDK}@${sdkVersion} installed in the cloud)`,
  );
  return { functions: built, largest, sdkVersion };
}

/** Fail at resolution time, naming the importer, if local-only modules are reached at all. */
const refuseLocalOnly: Plugin = {
  name: 'refuse-local-only',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, (args) => ({
      errors: [{ text: `better-sqlite3 is local-only but ${args.importer} imports it` }],
    }));
    b.onResolve({ filter: /(gateway\/|app\/local|adapters\/sqlite\/)/ }, (args) => ({
      errors: [{ text: `${args.path} is local-only but ${args.importer} imports it` }],
    }));
  },
};

/** The zod locales the sources name (`z.locales.zhCN`), so the other ~40 can stay out. */
export function usedZodLocales(srcDir: string): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/\blocales\.([A-Za-z]+)\b/g)) names.add(m[1]!);
      }
    }
  };
  walk(srcDir);
  return names;
}

/**
 * `z.locales` is a namespace of every zod locale (~220 KiB) and esbuild cannot drop the unused
 * ones from it: serve zod's locales/index.js with only the used exports (English, zod's default,
 * is imported by zod directly and stays).
 */
function onlyUsedZodLocales(used: Set<string>): Plugin {
  return {
    name: 'only-used-zod-locales',
    setup(b) {
      b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => {
        const lines = fs
          .readFileSync(args.path, 'utf8')
          .split('\n')
          .filter((line) => used.has(/ as (\w+) \}/.exec(line)?.[1] ?? ''));
        if (lines.length !== used.size) {
          return { errors: [{ text: `zod has no locale among ${[...used].join(', ')}` }] };
        }
        return { contents: lines.join('\n'), resolveDir: path.dirname(args.path), loader: 'js' };
      });
    },
  };
}

export function checkBundle(name: string, metafile: Metafile, code: string): void {
  for (const input of Object.keys(metafile.inputs)) {
    const hit = FORBIDDEN_INPUTS.find((f) => f.pattern.test(input));
    if (hit) throw new BuildError(`${name}: the bundle contains ${hit.what} (${input})`);
  }
  if (code.includes('better-sqlite3')) throw new BuildError(`${name}: the bundle mentions better-sqlite3`);
  const builtins = new Set(builtinModules);
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external) continue;
      const bare = imp.path.replace(/^node:/, '');
      if (imp.path !== SDK && !builtins.has(bare) && !builtins.has(bare.split('/')[0] ?? '')) {
        throw new BuildError(
          `${name}: the bundle requires ${imp.path} at run time (only ${SDK} is installed)`,
        );
      }
    }
  }
}

function checkFunctionFolders(fnRoot: string): void {
  for (const entry of fs.readdirSync(fnRoot, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'src') continue;
    if (fs.existsSync(path.join(fnRoot, entry.name, 'index.ts'))) {
      throw new BuildError(
        `cloudfunctions/${entry.name}/index.ts: a function folder holds only the built index.js; sources live in cloudfunctions/src`,
      );
    }
  }
}

/** database/rules/<collection>.json for every collection, each denying client writes. */
export function loadRules(root: string = ROOT): Record<string, Rule> {
  const dir = path.join(root, 'database/rules');
  const names = Object.keys(COLLECTIONS);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  for (const f of files) {
    if (!names.includes(f.replace(/\.json$/, ''))) {
      throw new BuildError(`database/rules/${f}: no collection of that name in COLLECTIONS`);
    }
  }
  const rules: Record<string, Rule> = {};
  for (const name of names) {
    const file = path.join(dir, `${name}.json`);
    if (!fs.existsSync(file)) throw new BuildError(`database/rules/${name}.json is missing`);
    const rule = readJson(file) as Record<string, unknown>;
    for (const key of Object.keys(rule)) {
      if (!['read', 'write', 'create', 'update', 'delete'].includes(key)) {
        throw new BuildError(`database/rules/${name}.json: unknown operation ${key}`);
      }
    }
    if (rule.write !== false) throw new BuildError(`database/rules/${name}.json: "write" must be false`);
    for (const op of ['create', 'update', 'delete']) {
      if (op in rule && rule[op] !== false) {
        throw new BuildError(`database/rules/${name}.json: "${op}" must be false or absent`);
      }
    }
    if (rule.read !== false && rule.read !== OWNER_READ) {
      throw new BuildError(`database/rules/${name}.json: "read" must be false or "${OWNER_READ}"`);
    }
    if (!COLLECTION_PURPOSE[name]) throw new BuildError(`scripts/build.ts: describe collection ${name}`);
    rules[name] = rule as unknown as Rule;
  }
  return rules;
}

export function installedSdkVersion(root: string = ROOT): string {
  const pkg = readJson(path.join(root, 'node_modules', SDK, 'package.json')) as { version: string };
  return pkg.version;
}

export function functionPackage(name: FunctionName, version: string, sdkVersion: string): object {
  return {
    name: `fenfu-${name}`,
    version,
    private: true,
    description: FUNCTIONS[name].description,
    main: 'index.js',
    license: 'UNLICENSED',
    dependencies: { [SDK]: sdkVersion },
  };
}

/** cloudfunctions/<fn>/config.json: what DevTools and the CLI read next to the code. */
export function functionConfig(name: FunctionName): object {
  const spec = FUNCTIONS[name];
  return {
    permissions: { openapi: ['subscribeMessage.send'] },
    triggers: spec.triggers,
    runtime: RUNTIME,
    timeout: spec.timeout,
    memorySize: spec.memorySize,
    installDependency: true,
    envVariables: envDefaultsFor(name),
  };
}

export function indexName(fields: readonly string[]): string {
  return fields.map((f) => `${f}_1`).join('_');
}

export function cloudbaserc(rules: Record<string, Rule>): object {
  return {
    version: '2.0',
    envId: '{{env.TCB_ENV}}',
    $schema: 'https://framework-1258016615.tcloudbaseapp.com/schema/latest.json',
    functionRoot: './cloudfunctions',
    functions: FUNCTION_NAMES.map((name) => {
      const spec = FUNCTIONS[name];
      return {
        name,
        handler: 'index.main',
        runtime: RUNTIME,
        timeout: spec.timeout,
        memorySize: spec.memorySize,
        installDependency: true,
        ignore: ['node_modules', 'node_modules/**/*', '*.map'],
        envVariables: envDefaultsFor(name),
        triggers: spec.triggers,
      };
    }),
    framework: {
      name: 'fenfu',
      plugins: {
        database: {
          use: '@cloudbase/framework-plugin-database',
          inputs: {
            collections: Object.entries(COLLECTIONS).map(([name, spec]) => ({
              collectionName: name,
              description: COLLECTION_PURPOSE[name],
              createIndexes: spec.indexes.map((fields) => ({
                name: indexName(fields),
                unique: false,
                keys: fields.map((f) => ({ name: f, direction: '1' })),
              })),
              aclTag: 'CUSTOM',
              aclRule: JSON.stringify(rules[name]),
            })),
          },
        },
      },
    },
  };
}

const TABLE_START =
  '<!-- collections:start (generated by npm run build from COLLECTIONS and database/rules) -->';
const TABLE_END = '<!-- collections:end -->';

export function collectionsTable(rules: Record<string, Rule>): string {
  const rows = Object.entries(COLLECTIONS).map(([name, spec]) => {
    const indexes = spec.indexes.length
      ? spec.indexes.map((f) => `\`${indexName(f)}\` (${f.join(', ')})`).join('<br>')
      : '— (`_id` only)';
    const read = rules[name]?.read === false ? 'nobody' : 'owner (`doc.openid == auth.openid`)';
    return `| \`${name}\` | ${indexes} | ${read} | ${COLLECTION_PURPOSE[name]} |`;
  });
  return [
    '| collection | indexes (all ascending, not unique) | client read | holds |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

async function updateDocsTable(file: string, rules: Record<string, Rule>): Promise<void> {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) return;
  const next = `${text.slice(0, start)}${TABLE_START}\n\n${collectionsTable(rules)}\n\n${text.slice(end)}`;
  await writeFormatted(file, next);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BuildError(`${file}: ${(err as Error).message}`);
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Write through prettier (the repository's style), and only when the content changes. */
async function writeFormatted(file: string, text: string): Promise<void> {
  // Loaded on use: prettier's CommonJS entry imports ESM dynamically, which jest cannot host.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  const formatted = await prettier.format(text, { ...options, filepath: file });
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === formatted) return;
  fs.writeFileSync(file, formatted);
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

if (require.main === module) {
  runBuild().catch((err: unknown) => {
    console.error(err instanceof BuildError ? `build failed: ${err.message}` : err);
    process.exit(1);
  });
}
