import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OperatorId, PLATFORM_OPERATORS, requiredOperators } from '../catalog/operators';
import { ClusterFiles, clusterFilePath, CLUSTERS_FOLDER } from '../config/clusters';
import { findInstanceDirs, INSTANCE_FILE, QUEUE_PLAN_FILE } from '../config/load';
import { DEFAULTS_FOLDER, SharedDefaults } from '../config/shared-defaults';
import { LoadedCluster, LoadedInstance } from '../config/types';
import { collectProblems, ConfigError, ConfigProblem } from '../core/errors';
import { FileError } from '../core/file-error';
import { ValuePath } from '../core/source';
import { argoCdSettings } from '../model/argocd';
import { clusterModel, clusterOperatorAppName } from '../model/cluster';
import { DEFAULTS, INIT_DEFAULTS } from '../model/defaults';
import { installedOperators, platformNeeds } from '../model/platform';
import { ValidationError } from '../validate/object-problem';
import { clusterYaml, instanceYaml, InstanceTemplate, queuePlanYaml } from './init-templates';
import { loadInstance } from './load';
import { renderAll } from './render';

/** What `mastodon-cdk8s init` is asked for (flags or answers); the rest is derived. */
export interface InitRequest {
  readonly configRoot: string;
  readonly id: string;
  readonly domain: string;
  readonly region: string;
  /** A DigitalOcean database plan slug (`db-s-2vcpu-4gb`) or its memory in GiB. */
  readonly databasePlan: string;
  readonly databaseHost?: string;
  readonly edge?: 'ingress' | 'gateway';
  readonly cluster?: string;
  /** The cluster's API server, for a new cluster file of a cluster Argo CD does not run in. */
  readonly server?: string;
  readonly repoURL?: string;
  readonly email?: string;
  readonly version?: string;
}

/** A file init writes: new, or an existing one changed (its whole new text). */
export interface InitWrite {
  readonly file: string;
  readonly text: string;
  /** What the change is, for the summary. */
  readonly note: string;
  readonly created: boolean;
}

export interface InitPlan {
  readonly instanceDir: string;
  readonly writes: readonly InitWrite[];
}

const INSTANCE_ID = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** DigitalOcean region slugs: letters and a digit (nyc3, ams3, sfo3…). */
const REGION = /^[a-z]{3}[0-9]$/;
/** The smallest plan whose connections hold init's smallest sizes (lib/app/init-templates.ts). */
const MIN_PLAN_GIB = 2;

/** The memory of a database plan: `db-s-2vcpu-4gb` → 4; `4` → 4. */
export function planMemoryGiB(plan: string): number | undefined {
  const slug = /^[a-z0-9_-]*-(\d+)gb$/.exec(plan);
  const value = slug ? Number(slug[1]) : /^\d+$/.test(plan) ? Number(plan) : undefined;
  return value !== undefined && value >= 1 && value <= 1024 ? value : undefined;
}

/** An input init refuses, named by its flag. */
function refuse(flag: string, message: string): never {
  throw new FileError(flag, message);
}

/** The existing configuration the new instance joins: its instances and cluster files. */
interface Existing {
  readonly instances: readonly LoadedInstance[];
  readonly clusters: readonly LoadedCluster[];
}

function loadExisting(root: string): Existing {
  const clusterFiles = new ClusterFiles();
  const clusters = clusterFiles.all(root);
  const defaults = new SharedDefaults();
  return { clusters, instances: collectProblems(findInstanceDirs(root), (dir) => loadInstance(dir, defaults, undefined, clusterFiles)) };
}

/**
 * Everything init will write for `request`, checked: the new instance renders, and so does the
 * whole configuration with it (no namespace, operator Application or other claim collides).
 * Nothing is written here. Existing files are never overwritten, except that instances installing
 * their own operators into the cluster of a new cluster file are moved onto it (one line each).
 */
export function planInit(request: InitRequest): InitPlan {
  const root = request.configRoot;
  const { id } = request;
  if (!INSTANCE_ID.test(id) || id === DEFAULTS_FOLDER || id === CLUSTERS_FOLDER) refuse(id, `is not allowed as an instance name; allowed: a DNS label (lowercase letters, digits and '-', at most 63 characters) other than "${DEFAULTS_FOLDER}" and "${CLUSTERS_FOLDER}"`);
  const instanceDir = path.join(root, id);
  if (fs.existsSync(instanceDir)) refuse(display(instanceDir), 'already exists; init never overwrites: choose another name, or edit that instance');
  if (!REGION.test(request.region)) refuse('--region', `${JSON.stringify(request.region)} is not a DigitalOcean region; allowed: a region slug such as nyc3, ams3, sfo3, fra1, sgp1`);
  const memory = planMemoryGiB(request.databasePlan);
  if (memory === undefined || memory < MIN_PLAN_GIB) refuse('--database-plan', `${JSON.stringify(request.databasePlan)} is not a database plan init can size for; allowed: a DigitalOcean plan of ${MIN_PLAN_GIB} GiB or more, as its slug such as db-s-2vcpu-4gb or its memory in GiB such as 4 (a 1 GiB plan's 22 connections do not hold two web and two streaming pods)`);

  const existing = loadExisting(root);
  const edge = request.edge ?? INIT_DEFAULTS.edge;
  const name = request.cluster ?? clusterChoice(existing.clusters);
  const cluster = existing.clusters.find((c) => c.name === name);
  const model = cluster && clusterModel(cluster);
  const firstInstance = existing.instances[0];
  const repoURL = request.repoURL ?? model?.argocd.repoURL ?? firstInstance?.instance.argocd.repoURL
    ?? refuse('--repo-url', 'is needed: no cluster file or instance says which Git repository Argo CD reads; allowed: this repository\'s URL, such as https://github.com/you/mastodon-gitops.git');
  const targetRevision = model?.argocd.targetRevision ?? firstInstance?.instance.argocd.targetRevision ?? INIT_DEFAULTS.targetRevision;
  const server = model?.argocd.server ?? request.server ?? DEFAULTS.argocd.server;
  const template: InstanceTemplate = {
    id,
    namespace: freeNamespace(id, existing.instances),
    version: request.version ?? INIT_DEFAULTS.mastodonVersion,
    domain: request.domain,
    region: request.region,
    databaseHost: request.databaseHost,
    databasePlan: request.databasePlan,
    planMemoryGiB: memory,
    edge,
    email: request.email ?? INIT_DEFAULTS.acmeEmail(request.domain),
    repoURL,
    targetRevision,
    cluster: name,
    server: server === DEFAULTS.argocd.server ? undefined : server,
  };
  const writes: InitWrite[] = [
    { file: path.join(instanceDir, INSTANCE_FILE), text: instanceYaml(template), note: `namespace ${template.namespace}, cluster ${name}`, created: true },
    { file: path.join(instanceDir, QUEUE_PLAN_FILE), text: queuePlanYaml(template), note: 'a default and a scheduler pool', created: true },
  ];
  if (!cluster) writes.push(...newCluster(root, name, server, repoURL, targetRevision, edge, existing.instances));
  checkInTemporaryCopy(root, existing, writes);
  return { instanceDir, writes };
}

/** The cluster a new instance joins: the only cluster file, or a new one. */
function clusterChoice(clusters: readonly LoadedCluster[]): string {
  if (clusters.length <= 1) return clusters[0]?.name ?? INIT_DEFAULTS.cluster;
  return refuse('--cluster', `is needed: there are ${clusters.length} cluster files (${clusters.map((c) => c.name).join(', ')}); allowed: one of them`);
}

/** The instance id as namespace, unless another instance has it (the gateway example uses "social"). */
function freeNamespace(id: string, instances: readonly LoadedInstance[]): string {
  const taken = new Set(instances.map((i) => i.instance.namespace));
  return [id, `${id}-mastodon`, `mastodon-${id}`].find((n) => !taken.has(n) && n.length <= 63) ?? refuse(id, `its namespace candidates ${id}, ${id}-mastodon and mastodon-${id} are all taken; allowed: another instance name`);
}

/**
 * A new cluster file declaring what the new instance needs, and what the instances that install
 * their own operators into the same cluster under the same Application names need: those are
 * moved onto it (`argocd.cluster` added, `argocd.operators` dropped), or two roots would render
 * the same Applications.
 */
function newCluster(root: string, name: string, server: string, repoURL: string, targetRevision: string, edge: 'ingress' | 'gateway', instances: readonly LoadedInstance[]): InitWrite[] {
  const appName = clusterOperatorAppName(name, server);
  const moving = instances.filter((loaded) => {
    if (loaded.cluster) return false;
    const argo = argoCdSettings(loaded.id, loaded.instance.argocd);
    return argo.namespace === DEFAULTS.argocd.namespace && installedOperators(loaded.instance, loaded.queuePlan).some((op) => argo.operatorAppName(op) === appName(op));
  });
  const needs: OperatorId[] = [
    'cert-manager', 'dragonfly-operator', ...(edge === 'ingress' ? ['ingress-nginx' as const] : []),
    ...moving.flatMap((loaded) => requiredOperators(platformNeeds(loaded.instance, loaded.queuePlan))),
  ];
  const gatewayAPI = edge === 'gateway' || moving.some((l) => l.instance.edge?.kind === 'gateway');
  const operators = (Object.keys(PLATFORM_OPERATORS) as OperatorId[]).filter((op) => needs.includes(op))
    .map((op) => ({ id: op, settings: op === 'cert-manager' && gatewayAPI ? '{ gatewayAPI: true }' : '{}' }));
  const file = clusterFilePath(root, name);
  return [
    { file, text: clusterYaml({ name, repoURL, targetRevision, server: server === DEFAULTS.argocd.server ? undefined : server, operators }), note: `operators ${operators.map((o) => o.id).join(', ')}`, created: true },
    ...moving.map((loaded) => moveOntoCluster(loaded, name)),
  ];
}

/** An instance's instance.yaml with `argocd.cluster: <name>` added and `argocd.operators` removed. */
function moveOntoCluster(loaded: LoadedInstance, name: string): InitWrite {
  const source = loaded.sources.instance;
  const file = path.join(loaded.dir, INSTANCE_FILE);
  const own = display(file);
  const where = (p: ValuePath) => source.problem(p, '');
  const argocd = where(['argocd']);
  const cannot = (why: string): never => {
    throw new ConfigError([{ ...argocd, path: 'argocd', message: `instance ${loaded.id} installs its own operators into the cluster of the new config/clusters/${name}.yaml, and init cannot move it there: ${why}; allowed: set argocd.cluster: ${name} there by hand (and drop argocd.operators), or pass --cluster with another name` }]);
  };
  if (argocd.file !== own) cannot(`its argocd section is in ${argocd.file}`);
  if (loaded.instance.edge?.kind === 'ingress' && loaded.instance.edge.loadBalancerAnnotations) cannot('its edge.loadBalancerAnnotations belong under operators.ingress-nginx in the cluster file');
  let lines = fs.readFileSync(file, 'utf8').split('\n');
  if (loaded.instance.argocd.operators !== undefined) lines = withoutKey(lines, source.problem(['argocd', 'operators'], '', true), cannot);
  const at = argocd.line - 1;
  const indent = lines[at].slice(0, argocd.col - 1);
  if (indent.trim() !== '') cannot('its argocd section is not a block map');
  lines.splice(at, 0, `${indent}cluster: ${name} # its operators: config/clusters/${name}.yaml`);
  return { file, text: lines.join('\n'), note: `argocd.cluster: ${name} (its operators move to config/clusters/${name}.yaml under the same names)`, created: false };
}

/** `lines` without the key at `key` (a one-line value, or a block below it). */
function withoutKey(lines: string[], key: ConfigProblem, cannot: (why: string) => never): string[] {
  const at = key.line - 1;
  const indent = key.col - 1;
  const rest = lines[at].slice(indent).replace(/^[^:]*:/, '').replace(/#.*$/, '').trim();
  let end = at + 1;
  if (rest === '') {
    while (end < lines.length && (lines[end].trim() === '' || lines[end].search(/\S/) > indent)) end += 1;
  } else if (/^[[{]/.test(rest) && !/[\]}]$/.test(rest)) {
    cannot('its argocd.operators spans several lines');
  }
  return [...lines.slice(0, at), ...lines.slice(end)];
}

/**
 * Writes the configuration as it would be after init into a scratch copy (the instance files,
 * config/defaults and config/clusters only: what the loader reads), and renders it all. A problem
 * names the real file it would be in.
 */
function checkInTemporaryCopy(root: string, existing: Existing, writes: readonly InitWrite[]): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mastodon-cdk8s-init-'));
  const copy = path.join(scratch, path.basename(path.resolve(root)));
  try {
    const files = [
      ...existing.instances.flatMap((i) => [INSTANCE_FILE, QUEUE_PLAN_FILE].map((f) => path.join(i.dir, f))),
      ...[DEFAULTS_FOLDER, CLUSTERS_FOLDER].flatMap((folder) => {
        const dir = path.join(root, folder);
        return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
      }),
    ];
    const into = (file: string) => path.join(copy, path.relative(root, file));
    for (const file of files.filter((f) => fs.existsSync(f) && fs.statSync(f).isFile())) {
      fs.mkdirSync(path.dirname(into(file)), { recursive: true });
      fs.copyFileSync(file, into(file));
    }
    for (const w of writes) {
      fs.mkdirSync(path.dirname(into(w.file)), { recursive: true });
      fs.writeFileSync(into(w.file), w.text);
    }
    const after = loadExisting(copy);
    renderAll(after.instances, after.clusters);
  } catch (e) {
    throw underRoot(e, path.relative(process.cwd(), copy), display(root));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** A problem found in the scratch copy, shown at the file it would be in. */
function underRoot(e: unknown, copy: string, root: string): unknown {
  const fix = (file: string) => (file.startsWith(copy) ? `${root}${file.slice(copy.length)}` : file);
  if (e instanceof ConfigError) return new ConfigError(e.problems.map((p) => ({ ...p, file: fix(p.file), message: p.message.split(copy).join(root) })));
  if (e instanceof ValidationError) return new ConfigError(e.problems.map((p) => ({ file: fix(p.file), line: 1, col: 1, path: p.path, message: `init would render ${p.kind}/${p.name} that fails: ${p.message}` })));
  return e;
}

/**
 * Writes the plan: changed files replaced whole (written beside, then renamed), the new instance
 * folder staged under a hidden name and renamed into place, so a failure never leaves half a file
 * or half an instance.
 */
export function applyInit(plan: InitPlan): void {
  const stage = path.join(path.dirname(plan.instanceDir), `.init-${path.basename(plan.instanceDir)}-${process.pid}`);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage);
  try {
    for (const w of plan.writes.filter((w) => path.dirname(w.file) === plan.instanceDir)) fs.writeFileSync(path.join(stage, path.basename(w.file)), w.text, { flag: 'wx' });
    for (const w of plan.writes.filter((w) => path.dirname(w.file) !== plan.instanceDir)) {
      if (w.created && fs.existsSync(w.file)) refuse(display(w.file), 'appeared while init ran; nothing was written');
      fs.mkdirSync(path.dirname(w.file), { recursive: true });
      const temp = `${w.file}.init-${process.pid}`;
      fs.writeFileSync(temp, w.text);
      fs.renameSync(temp, w.file);
    }
    if (fs.existsSync(plan.instanceDir)) refuse(display(plan.instanceDir), 'appeared while init ran; init never overwrites');
    fs.renameSync(stage, plan.instanceDir);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

function display(file: string): string {
  return path.relative(process.cwd(), file) || '.';
}
