import * as path from 'node:path';
import { entryExists, listFolder, requireFolder } from '../core/read';
import { ConfigError, ConfigProblem } from '../core/errors';
import { YamlSource } from '../core/source';
import { checkSchema } from './schema-check';
import { ClusterConfig, LoadedCluster } from './types';

/**
 * The folder beside the instance folders (`config/clusters/`) holding one `<cluster>.yaml` per
 * Kubernetes cluster: the operators installed into it once, for every instance that selects it
 * with `argocd.cluster`. Its name is reserved: it is never an instance (dist/clusters/ is its output).
 */
export const CLUSTERS_FOLDER = 'clusters';
export const CLUSTER_FILE_SUFFIX = '.yaml';

const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The config root an instance folder belongs to (its parent, as for config/defaults/). */
export function configRootOf(instanceDir: string): string {
  return path.dirname(path.resolve(instanceDir));
}

/** `<config root>/clusters/<name>.yaml`. */
export function clusterFilePath(configRoot: string, name: string): string {
  return path.join(configRoot, CLUSTERS_FOLDER, `${name}${CLUSTER_FILE_SUFFIX}`);
}

/**
 * The cluster files of one run, each config root's folder read and every file parsed and checked
 * once however many instances select it. Every file of the folder is loaded, selected or not, so
 * that `dist/clusters/` is a function of `config/clusters/` alone (also with `synth --config`).
 */
export class ClusterFiles {
  private readonly roots = new Map<string, readonly LoadedCluster[]>();

  /** Every cluster file under `<configRoot>/clusters/`, sorted by name; ConfigError for a bad one. */
  public all(configRoot: string): readonly LoadedCluster[] {
    const root = path.resolve(configRoot);
    if (!this.roots.has(root)) this.roots.set(root, loadClusterFolder(root));
    return this.roots.get(root)!;
  }

  /** The cluster file `name` beside `instanceDir`, if there is one. */
  public find(instanceDir: string, name: string): LoadedCluster | undefined {
    return this.all(configRootOf(instanceDir)).find((c) => c.name === name);
  }
}

function loadClusterFolder(root: string): readonly LoadedCluster[] {
  const folder = path.join(root, CLUSTERS_FOLDER);
  const display = (file: string) => path.relative(process.cwd(), path.join(folder, file)) || file;
  if (!entryExists(folder, display(''))) return [];
  requireFolder(folder, display(''), `a folder of cluster files, ${CLUSTERS_FOLDER}/<cluster>${CLUSTER_FILE_SUFFIX}`);
  const problems: ConfigProblem[] = [];
  const clusters: LoadedCluster[] = [];
  for (const file of listFolder(folder, display('')).filter((f) => !f.startsWith('.'))) {
    if (file.endsWith('.yml')) {
      problems.push({ file: display(file), line: 1, col: 1, path: '', message: `a cluster file ends in ${CLUSTER_FILE_SUFFIX}; allowed: rename it to ${file.replace(/\.yml$/, CLUSTER_FILE_SUFFIX)}` });
      continue;
    }
    if (!file.endsWith(CLUSTER_FILE_SUFFIX)) continue;
    const name = file.slice(0, -CLUSTER_FILE_SUFFIX.length);
    if (!CLUSTER_NAME.test(name)) {
      problems.push({ file: display(file), line: 1, col: 1, path: '', message: `cluster file name ${JSON.stringify(name)} is not allowed; allowed: a DNS label (lowercase letters, digits and '-', at most 63 characters), the name instances select with argocd.cluster` });
      continue;
    }
    const source = YamlSource.read(path.join(folder, file), display(file));
    try {
      clusters.push({ name, source, config: checkSchema<ClusterConfig>(source, 'cluster') });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return clusters;
}
