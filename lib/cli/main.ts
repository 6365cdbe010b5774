import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DEFAULTS_FOLDER, SharedDefaults } from '../config/shared-defaults';
import { collectProblems, ConfigError, ConfigProblem, formatProblem } from '../core/errors';
import { findInstanceDirs } from '../config/load';
import { ClusterFiles, CLUSTERS_FOLDER, configRootOf } from '../config/clusters';
import { CLUSTERS_DIST_FOLDER } from '../app/render-clusters';
import { APPLICATION_SETS_DIST_FOLDER } from '../app/render-application-sets';
import { loadInstance } from '../app/load';
import { LoadedCluster, LoadedInstance } from '../config/types';
import { compareTrees, isEmpty, objectsOfKind, withSharedParses } from '../diff/compare';
import { DIFF_EXIT, DIFF_EXIT_HELP, diffExitCode } from '../diff/exit-codes';
import { immutableChanges } from '../diff/immutable-changes';
import { markdownReport, summary, textReport } from '../diff/report';
import { cutMarkdown } from '../diff/cut';
import { clusterUse, planDeltaLines } from '../diff/plan-delta';
import { secretChanges } from '../diff/secrets';
import { leftBehind, leftBehindMarkdown, leftBehindText } from '../diff/left-behind';
import { CERT_MANAGER_NAMESPACE } from '../catalog/cert-manager';
import { DiffInputError, readDirTree, readGitTree } from '../diff/trees';
import { FileError } from '../core/file-error';
import { checkOutDir, GuardedFolder } from '../core/out-dir';
import { RenderedTree, renderAll } from '../app/render';
import { RenderCache, RenderCacheOptions } from '../app/render-cache';
import { ParallelOptions, prerender, statsThreads } from '../app/render-pool';
import { foldersAsWritten, groupByTopLevel, TreeWriter, WrittenFolders } from '../render/write';
import { renderStream, unchangedSinceWritten } from '../app/render-stream';
import { count, formatObjectProblem, ValidationError } from '../validate/object-problem';
import { validateTree } from '../validate/validate';
import { defaultSchemaCacheDir } from '../validate/schema-cache';
import { planReport } from '../app/plan';
import { secretsCommand } from './secrets';
import { upgradeCommand } from './upgrade';
import { initCommand } from './init';
import { restoreCommand } from './restore';

const DEFAULT_CONFIG_ROOT = 'config';
const DEFAULT_OUT = 'dist';

interface SynthOptions {
  readonly config?: string[];
  readonly out: string;
  /** false with --no-cache. */
  readonly cache: boolean;
  readonly cdk8sOutdir?: boolean;
}

interface DiffOptions {
  readonly config?: string[];
  readonly cache: boolean;
  readonly dist: string;
  readonly base?: string;
  readonly markdown?: boolean;
  readonly maxChars?: number;
}

interface PlanOptions {
  readonly config?: string[];
  readonly json?: boolean;
}

interface ValidateCliOptions {
  readonly dist: string;
  readonly k8sSchema?: string;
  readonly crds?: string;
  readonly requireSchemas?: boolean;
}

/** Where `npm run import` puts the pinned Kubernetes schema and CRDs (gitignored), read by default. */
const SCHEMAS_DIR = '.schemas';
const SCHEMAS_K8S = 'kubernetes-v1.33.0-definitions.json';
const HOW_TO_GET_SCHEMAS = 'run `npm run import -- --schemas-only` (downloads the pinned Kubernetes 1.33 schema and CRDs listed in cdk8s.yaml into .schemas/ and checks their sha256), or pass --k8s-schema and --crds';

/** The selected instance folders (default: every `config/*` with an instance.yaml). */
function selectedDirs(configDirs: readonly string[] | undefined): readonly string[] {
  const dirs = configDirs?.length ? configDirs : findInstanceDirs(DEFAULT_CONFIG_ROOT);
  if (dirs.length === 0) throw new ConfigError([{ file: DEFAULT_CONFIG_ROOT, line: 1, col: 1, path: '', message: 'no instance found; expected config/<instance>/instance.yaml' }]);
  return dirs;
}

/** Every cluster file of the config roots in use, selected or not: dist/clusters/ is theirs. */
function clustersOf(dirs: readonly string[], clusterFiles: ClusterFiles): LoadedCluster[] {
  return [...new Set(dirs.map(configRootOf))].flatMap((root) => clusterFiles.all(root));
}

/**
 * Loads the selected instance folders. Each instance is checked on its own and the problems of all
 * of them are reported together.
 */
function loadSelected(configDirs: readonly string[] | undefined): Selected {
  const dirs = selectedDirs(configDirs);
  const defaults = new SharedDefaults();
  const clusterFiles = new ClusterFiles();
  const clusters = clustersOf(dirs, clusterFiles);
  return { instances: collectProblems(dirs, (dir) => loadInstance(dir, defaults, undefined, clusterFiles)), clusters };
}

/** The instances a command works on, and the cluster files beside them. */
interface Selected {
  readonly instances: readonly LoadedInstance[];
  readonly clusters: readonly LoadedCluster[];
}

function printWarnings(warnings: readonly ConfigProblem[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
}

/** What the program that runs the CLI gives it (bin/mastodon-cdk8s.js). */
export interface MainSettings {
  /** Where renders are kept between runs (lib/app/render-cache.ts). @default renders are not kept */
  readonly renderCache?: RenderCacheOptions;
  /** Render the instances the cache does not hold in worker threads, when there are enough (lib/app/render-pool.ts). @default in the main thread */
  readonly parallel?: ParallelOptions;
}

/** Loads and renders the selected instances in memory (from the render cache when given). */
async function render({ instances, clusters }: Selected, out: string, cache: RenderCache | undefined, parallel: ParallelOptions | undefined) {
  const renderOne = await prerender(instances, cache, parallel);
  const { files, warnings } = renderOrExplain(() => renderAll(instances, clusters, renderOne), out);
  return { instances, files, warnings };
}

/**
 * What an output folder must never be or contain: the folder the command runs in (the repository)
 * and the configuration, and never be inside the configuration either.
 */
function guardedFolders(dirs: readonly string[]): GuardedFolder[] {
  // Named only for a message: a thousand instances are a thousand folders to guard, and path.relative is slow.
  const named = (dir: string, what: string): GuardedFolder => ({
    path: dir,
    noneInside: true,
    get what() {
      return `${what} ${path.relative(process.cwd(), dir) || '.'}`;
    },
  });
  // Instances of one config root share its defaults and cluster folders: each checked once.
  const seen = new Set<string>();
  const first = (key: string) => !seen.has(key) && Boolean(seen.add(key));
  return [
    { path: process.cwd(), what: 'the folder the command runs in (the repository)', noneInside: false },
    ...dirs.flatMap((dir) => {
      const root = configRootOf(dir);
      return [
        ...(first(`instance\0${dir}`) ? [named(dir, 'the instance folder')] : []),
        ...(first(`root\0${root}`) ? [named(path.join(root, DEFAULTS_FOLDER), 'the shared defaults folder'), named(path.join(root, CLUSTERS_FOLDER), 'the cluster files folder')] : []),
      ];
    }),
    { path: DEFAULT_CONFIG_ROOT, what: `the configuration folder ${DEFAULT_CONFIG_ROOT}`, noneInside: true },
  ];
}

/** Names for a one-line summary: a hosting provider's thousand instances are not all listed. */
function names(list: readonly string[], shown = 10): string {
  return list.length <= shown ? list.join(', ') : `${list.slice(0, shown).join(', ')} and ${list.length - shown} more`;
}

async function synth(options: SynthOptions, settings: MainSettings): Promise<void> {
  const out = options.cdk8sOutdir ? cdk8sOutdir() : options.out;
  const cache = options.cache && settings.renderCache ? new RenderCache(settings.renderCache) : undefined;
  const manifest = cache?.writeManifest(out);
  // With --config, the selected instances' folders are written, and the cluster folder when there
  // are cluster files; not the ApplicationSets, whose elements are every instance (a full synth writes them).
  const selected = options.config?.length ? options.config.map((dir) => path.basename(path.resolve(dir))) : undefined;
  // First of all (it only reads): the stats of the folders the last write left are checked on
  // another thread while this one reads the config and renders (lib/render/folder-stats.ts); with
  // --config, only the folders it may write.
  const threads = statsThreads(settings.parallel);
  const writtenFolders = () => manifest && WrittenFolders.read(out, manifest, threads, selected && new Set([...selected, CLUSTERS_DIST_FOLDER]));
  const written = writtenFolders();
  let dirs: readonly string[];
  let clusters: LoadedCluster[];
  try {
    dirs = selectedDirs(options.config);
    clusters = clustersOf(dirs, new ClusterFiles());
    checkOutDir(out, guardedFolders(dirs));
  } catch (e) {
    written?.close();
    throw e;
  }
  const selection = selected && [...selected, ...(clusters.length > 0 ? [CLUSTERS_DIST_FOLDER] : [])];
  let writer = new TreeWriter(out, selection ?? 'all', manifest, written);
  /** The cache whose count of reused instances the summary line gives. */
  let counted = cache;
  let rendered: { ids: readonly string[]; files: number; warnings: readonly ConfigProblem[] };
  try {
    const streamed = await renderOrExplain(() => renderStream({ dirs, clusters, out, applicationSets: selection === undefined, cache, parallel: settings.parallel }, writer), out);
    if (streamed === 'check-all') {
      // A check across instances may find a problem: the checks run over every loaded instance, for their own messages.
      writer.abort();
      writer = new TreeWriter(out, selection ?? 'all', manifest, writtenFolders());
      counted = cache && new RenderCache(cache.options);
      const whole = await render(loadSelected(options.config), out, counted, settings.parallel);
      const files = selection ? new Map([...whole.files].filter(([file]) => !file.startsWith(`${APPLICATION_SETS_DIST_FOLDER}/`))) : whole.files;
      for (const [top, content] of groupByTopLevel(files)) writer.offer(top, () => content);
      rendered = { ids: whole.instances.map((i) => i.id), files: files.size, warnings: whole.warnings };
    } else rendered = streamed;
  } catch (e) {
    writer.abort();
    throw e;
  }
  const changed = writer.finish();
  writer.rememberCheck(threads);
  cache?.prune();
  printWarnings(rendered.warnings);
  const reused = counted?.reused ?? 0;
  const updated = changed.length > 0 ? `updated: ${names(changed)}` : 'no changes';
  const fromCache = reused > 0 ? `; ${reused} of ${count(rendered.ids.length, 'instance')} unchanged, from the render cache` : '';
  process.stdout.write(`rendered ${rendered.files} files for ${names(rendered.ids)} into ${path.normalize(out)}/ (${updated}${fromCache})\n`);
}

/**
 * The folder the cdk8s CLI asks for: `npx cdk8s synth` runs cdk8s.yaml's `app` with CDK8S_OUTDIR
 * set to `-o <dir>`, to `dist`, or to a temporary folder it then prints for `--stdout`
 * (cdk8s-cli 2.207.60 lib/util.js:91-108, lib/cli/cmds/synth.js:73, :113-116). Only the location
 * comes from the environment: what is written is the same as `npm run synth` writes.
 */
function cdk8sOutdir(): string {
  const dir = process.env.CDK8S_OUTDIR;
  if (!dir) throw new FileError('CDK8S_OUTDIR', 'is not set; --cdk8s-outdir is for the cdk8s CLI (npx cdk8s synth sets it); otherwise run npm run synth or mastodon-cdk8s synth --out <dir>');
  return dir;
}

/** Prints the plan even when it is over budget, then fails like synth would. */
function plan(options: PlanOptions): void {
  const report = planReport(loadSelected(options.config).instances, options.json ?? false);
  process.stdout.write(report.output);
  printWarnings(report.warnings);
  if (report.errors.length > 0) throw new ConfigError(report.errors);
}

/** Runs a render; its ValidationError names files under the output directory, where they would have been written. */
function renderOrExplain<T>(render: () => T, out: string): T {
  const explain = (e: unknown) => {
    throw e instanceof ValidationError ? e.under(out) : e;
  };
  try {
    const result = render();
    return (result instanceof Promise ? result.catch(explain) : result) as T;
  } catch (e) {
    return explain(e);
  }
}

/** `validate --require-schemas` without schemas: exit 1 with what to run. */
class SchemasMissingError extends Error {}

function validate(options: ValidateCliOptions, command: Command): void {
  for (const [flag, file] of [['--dist', options.dist], ['--k8s-schema', options.k8sSchema], ['--crds', options.crds]] as const) {
    if (file !== undefined && !fs.existsSync(file)) command.error(`error: ${flag} ${file} does not exist`);
  }
  let { k8sSchema, crds } = options;
  if (!k8sSchema && !crds && fs.existsSync(path.join(SCHEMAS_DIR, SCHEMAS_K8S)) && fs.existsSync(path.join(SCHEMAS_DIR, 'crds'))) {
    k8sSchema = path.join(SCHEMAS_DIR, SCHEMAS_K8S);
    crds = path.join(SCHEMAS_DIR, 'crds');
  }
  if (!k8sSchema && !crds) {
    if (options.requireSchemas) throw new SchemasMissingError(`error: --require-schemas: no schemas in ${SCHEMAS_DIR}/ and no --k8s-schema or --crds given; ${HOW_TO_GET_SCHEMAS}`);
    process.stderr.write(`note: no schemas found: schema checks skipped, running the semantic and policy checks only; to check against the Kubernetes and CRD schemas, ${HOW_TO_GET_SCHEMAS}\n`);
  }
  const result = validateTree({ dist: options.dist, k8sSchemaFile: k8sSchema, crdDir: crds, schemaCacheDir: defaultSchemaCacheDir() });
  const layers = [...(result.schemas ? [`schema (${result.schemas})`] : []), 'semantic', 'policy'].join(', ');
  const summary = `${count(result.objects, 'object')} in ${count(result.files, 'file')} under ${path.normalize(options.dist)}/ (${layers})`;
  if (result.problems.length > 0) throw new ValidationError(result.problems, `${count(result.problems.length, 'problem')} in ${summary}`);
  process.stdout.write(`valid: ${summary}\n`);
}

/**
 * Renders in memory and compares with `dist/` on disk, or as committed at `--base`. Returns the
 * exit code (DIFF_EXIT): 0 when they match, 1 when they differ, 3 when a change will be rejected by the API server.
 */
async function diff(options: DiffOptions, settings: MainSettings): Promise<number> {
  const cache = options.cache && settings.renderCache ? new RenderCache(settings.renderCache) : undefined;
  const where = `${path.normalize(options.dist)}/${options.base ? ` at ${options.base}` : ''}`;
  const matching = () => {
    process.stdout.write(options.markdown ? `### Rendered changes against ${where}\n\nNo changes.\n` : `${where} matches what config/ renders\n`);
    return DIFF_EXIT.same;
  };
  if (cache && !options.base) {
    // What synth left in dist/ and nothing changed since: told without rendering.
    const dirs = selectedDirs(options.config);
    const unchanged = unchangedSinceWritten({ dirs, clusters: clustersOf(dirs, new ClusterFiles()), out: options.dist, applicationSets: !options.config?.length, cache, parallel: settings.parallel });
    if (unchanged) {
      printWarnings(unchanged.warnings);
      return matching();
    }
  }
  const { instances, files, warnings } = await render(loadSelected(options.config), options.dist, cache, settings.parallel);
  cache?.prune();
  printWarnings(warnings);
  const committed = options.base ? readGitTree(options.base, options.dist) : readDist(options.dist, files, cache, settings.parallel);
  // With --config, only those instances' folders are compared.
  const ids = options.config?.length ? new Set(instances.map((i) => i.id)) : undefined;
  const within = (tree: RenderedTree) => (ids ? new Map([...tree].filter(([file]) => ids.has(file.slice(0, file.indexOf('/'))))) : tree);
  const rendered = within(files);
  const before = within(committed);
  return withSharedParses(() => {
    const result = compareTrees(before, rendered);
    if (isEmpty(result)) return matching();
    // Applications decide how Argo CD writes some objects (ignoreDifferences with RespectIgnoreDifferences).
    const immutable = immutableChanges(result, objectsOfKind(rendered, 'Application'));
    const secrets = secretChanges(before, rendered, { clusterSecretsNamespace: CERT_MANAGER_NAMESPACE });
    const behind = leftBehind(before, rendered);
    process.stdout.write(options.markdown
      ? cutTo(markdownReport(result, `Rendered changes against ${where}`, immutable, secrets, [...planDeltaLines(clusterUse(before), clusterUse(rendered)), ...leftBehindMarkdown(behind)]), options.maxChars)
      : `${where} differs from what config/ renders (${summary(result)}):\n${textReport(result, immutable, secrets)}${leftBehindText(behind)}`);
    return diffExitCode(result, immutable);
  });
}

/**
 * The files of `dist`: instance folders that synth left as they are now, for the same render
 * (the render cache's write manifest), hold the rendered files and are not read.
 */
function readDist(dist: string, rendered: RenderedTree, cache: RenderCache | undefined, parallel: ParallelOptions | undefined): RenderedTree {
  const asWritten = cache ? foldersAsWritten(dist, cache.writeManifest(dist), statsThreads(parallel)) : new Set<string>();
  const tree = readDirTree(dist, asWritten);
  for (const [file, content] of rendered) if (asWritten.has(file.slice(0, file.indexOf('/')))) tree.set(file, content);
  return tree;
}

/** `--max-chars`: a Markdown report cut to fit a pull request comment, saying where the whole one is. */
function cutTo(markdown: string, maxChars: number | undefined): string {
  return maxChars === undefined ? markdown : cutMarkdown(markdown, maxChars, 'the whole report is in the job summary of this check (or run `npx mastodon-cdk8s diff --base <branch> --markdown`)');
}

const NO_CACHE_HELP = 'render every instance, ignoring and not updating the render cache (node_modules/.cache/mastodon-cdk8s/render/, always safe to delete)';

function program(setExitCode: (code: number) => void, settings: MainSettings): Command {
  const cli = new Command('mastodon-cdk8s')
    .description('Render Mastodon instances on Kubernetes from config/<instance>/ into dist/')
    .exitOverride()
    .showHelpAfterError();
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  cli.command('synth')
    .description('render every config/<instance>/ (or those given) into <out>/<instance>/')
    .option('-c, --config <dir>', 'an instance folder (repeatable); default: every config/*/', collect)
    .option('-o, --out <dir>', 'output directory', DEFAULT_OUT)
    .option('--no-cache', NO_CACHE_HELP)
    .option('--cdk8s-outdir', 'write into $CDK8S_OUTDIR, the folder `npx cdk8s synth` passes (its -o <dir>, dist, or a temporary folder for --stdout)')
    .action((opts: SynthOptions) => synth(opts, settings));
  cli.command('plan')
    .description('show pods, processes, threads, DB connections and resources per process type, and the connection budget (Markdown)')
    .option('-c, --config <dir>', 'an instance folder (repeatable); default: every config/*/', collect)
    .option('--json', 'print the plan as JSON')
    .action((opts: PlanOptions) => plan(opts));
  cli.command('validate')
    .description('check a rendered tree as a cluster and Argo CD would: schema, semantic and policy checks')
    .option('-d, --dist <dir>', 'the rendered tree', DEFAULT_OUT)
    .option('--k8s-schema <file>', 'Kubernetes JSON Schema definitions (e.g. kubernetes-v1.33.0-definitions.json)')
    .option('--crds <dir>', 'a folder of CustomResourceDefinition YAML files')
    .option('--require-schemas', 'fail when no schemas are found (default: .schemas/ from `npm run import`)')
    .action((opts: ValidateCliOptions, command: Command) => validate(opts, command));
  cli.command('diff')
    .description('render in memory and compare with dist/ (or dist/ at a git revision): added, removed and changed resources with the changed fields, and the changes the API server will reject')
    .option('-c, --config <dir>', 'an instance folder (repeatable); default: every config/*/', collect)
    .option('-d, --dist <dir>', 'the rendered output to compare with', DEFAULT_OUT)
    .option('-b, --base <git-ref>', 'compare with <dist> as committed at this revision, e.g. origin/main')
    .option('-m, --markdown', 'print Markdown (for a pull request comment or job summary)')
    .option('--max-chars <n>', 'with --markdown: cut the report on a line boundary to at most n characters (a GitHub comment holds 65,536), saying what was left out', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 200) throw new InvalidArgumentError('a whole number of characters, at least 200');
      return n;
    })
    .option('--no-cache', NO_CACHE_HELP)
    .addHelpText('after', `\n${DIFF_EXIT_HELP}`)
    .action(async (opts: DiffOptions) => setExitCode(await diff(opts, settings)));
  cli.addCommand(initCommand().exitOverride());
  cli.addCommand(secretsCommand().exitOverride());
  cli.addCommand(upgradeCommand().exitOverride());
  cli.addCommand(restoreCommand().exitOverride());
  return cli;
}

/** Runs the CLI; resolves to the process exit code. Bad input prints its problems, never a stack. */
export async function main(argv: readonly string[], settings: MainSettings = {}): Promise<number> {
  let exitCode = 0;
  // `diff` keeps 1 for "differences", so its errors exit 2.
  const failed = argv[0] === 'diff' ? DIFF_EXIT.error : 1;
  try {
    await program((code) => { exitCode = code; }, settings).parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`error: ${e.problems.length === 1 ? 'invalid configuration' : `${e.problems.length.toLocaleString('en-US')} problems in the configuration`}\n${e.message}\n`);
      return failed;
    }
    if (e instanceof ValidationError) {
      process.stderr.write(`error: ${e.summary}\n${e.problems.map(formatObjectProblem).join('\n')}\n`);
      return failed;
    }
    if (e instanceof FileError) {
      process.stderr.write(`error: ${e.message}\n`);
      return failed;
    }
    if (e instanceof DiffInputError) {
      process.stderr.write(`error: ${e.message}\n`);
      return DIFF_EXIT.error;
    }
    if (e instanceof SchemasMissingError) {
      process.stderr.write(`${e.message}\n`);
      return failed;
    }
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : failed;
    throw e;
  }
}

/** The entry of a render worker thread (bin/mastodon-cdk8s.js, lib/app/render-pool.ts). */
export { renderWorker } from '../app/render-worker';
export { crashAtStep } from '../core/replace-folders';
/** For bin/mastodon-cdk8s.js: whether a run's code cache holds the render's functions. */
export { instancesRenderedOnThisThread } from '../app/render';
/** For test/cli/bundle.test.ts: its worker thread runs the bundle's own source of the stats check. */
export { FolderStatsCheck, statsHash } from '../render/folder-stats';
