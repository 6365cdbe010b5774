import * as fs from 'node:fs';
import * as path from 'node:path';
import { ObjectCheck, ObjectProblem, KubeObject, RenderedObject } from './object-problem';
import { POLICY_CHECKS } from './policy';
import { readDocuments } from './read-yaml';
import { semanticChecks } from './semantic';

/** The semantic and policy checks synth runs over every render (cheap: no schema compilation). */
export function checkRendered(objects: readonly RenderedObject[]): ObjectProblem[] {
  return runChecks([...semanticChecks(), ...POLICY_CHECKS], objects);
}

function runChecks(checks: readonly ObjectCheck[], objects: readonly RenderedObject[]): ObjectProblem[] {
  return checks.flatMap((check) => check(objects));
}

/**
 * The schema layer, loaded on demand: it brings ajv's compiler, which synth (semantic and policy
 * checks only) must not pay for at start-up.
 */
function schemaLayer(): typeof import('./schema') {
  return require('./schema');
}

export interface ValidateOptions {
  /** The rendered tree, e.g. `dist`. */
  readonly dist: string;
  /** The Kubernetes definitions JSON. @default no Kubernetes schema checks */
  readonly k8sSchemaFile?: string;
  /** A folder of CRD YAML files. @default no CRD schema checks */
  readonly crdDir?: string;
  /** Where compiled schema validators are kept between runs (./schema-cache.ts). @default compiled on every run */
  readonly schemaCacheDir?: string;
}

export interface ValidateResult {
  readonly objects: number;
  readonly files: number;
  /** What the schema layer checked against; undefined when it was skipped. */
  readonly schemas?: string;
  readonly problems: readonly ObjectProblem[];
}

/** Checks a rendered tree as a cluster and Argo CD would: schema (when given), semantic, policy. */
export function validateTree(options: ValidateOptions): ValidateResult {
  const { objects, files } = readTree(options.dist);
  const withSchemas = options.k8sSchemaFile !== undefined || options.crdDir !== undefined;
  const kinds = new Set(objects.map((o) => o.object.kind));
  const layer = withSchemas ? schemaLayer() : undefined;
  const schemas = layer?.loadSchemas({ k8sSchemaFile: options.k8sSchemaFile, crdDir: options.crdDir, kinds, cacheDir: options.schemaCacheDir });
  const checks = [...(layer && schemas ? [layer.schemaCheck(schemas)] : []), ...semanticChecks(schemas?.clusterScoped), ...POLICY_CHECKS];
  return { objects: objects.length, files, schemas: schemas?.description, problems: runChecks(checks, objects) };
}

/** Every Kubernetes object in the `.yaml`/`.yml`/`.json` files under `dir` (what an Argo CD directory app applies). */
export function readTree(dir: string): { objects: RenderedObject[]; files: number } {
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const objects = files.flatMap((f) => {
    const file = path.join(dir, f);
    return (readDocuments(fs.readFileSync(file, 'utf8')) as KubeObject[])
      .filter((o) => o && typeof o === 'object')
      .map((object) => ({ file, object }));
  });
  return { objects, files: files.length };
}
