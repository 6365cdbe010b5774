import * as fs from 'node:fs';
import * as path from 'node:path';
import { crossViews } from './cross-view';
import { isPerObject, ObjectCheck, ObjectProblem, KubeObject, RenderedObject } from './object-problem';
import { POLICY_CHECKS } from './policy';
import { readDocuments } from '../core/read-yaml';
import type { SchemaSet } from './schema';
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

/**
 * Checks a rendered tree as a cluster and Argo CD would: schema (when given), semantic, policy.
 * One file at a time: the checks of one object run as each file is read, and only what the
 * checks across objects need is kept (./cross-view.ts), so a thousand instances are not held in
 * memory at once. The schemas are loaded first, for the kinds the file names give
 * (`<Kind>.<name>.yaml`, as synth writes them); a tree where they do not (an object of another
 * kind) is validated again the way it always was, every object held at once
 * (validateTreeAtOnce), so the findings are the same either way.
 */
export function validateTree(options: ValidateOptions): ValidateResult {
  const files = treeFiles(options.dist);
  const streamed = validateStreamed(options, files);
  return 'fullyRead' in streamed ? validateTreeAtOnce(options, files, streamed.fullyRead) : streamed;
}

/**
 * Every object read first, then every check over all of them. The first `warned` files were
 * read before (the library's warnings about them are not repeated).
 */
export function validateTreeAtOnce(options: ValidateOptions, files = treeFiles(options.dist), warned = 0): ValidateResult {
  const objects = readObjects(options.dist, files, warned);
  const { schemas, checks } = checksFor(options, new Set(objects.map((o) => o.object.kind)));
  return { objects: objects.length, files: files.length, schemas: schemas?.description, problems: runChecks(checks, objects) };
}

function withSchemas(options: ValidateOptions): boolean {
  return options.k8sSchemaFile !== undefined || options.crdDir !== undefined;
}

function checksFor(options: ValidateOptions, kinds: ReadonlySet<string>): { schemas?: SchemaSet; checks: ObjectCheck[] } {
  const layer = withSchemas(options) ? schemaLayer() : undefined;
  const schemas = layer?.loadSchemas({ k8sSchemaFile: options.k8sSchemaFile, crdDir: options.crdDir, kinds, cacheDir: options.schemaCacheDir });
  return { schemas, checks: [...(layer && schemas ? [layer.schemaCheck(schemas)] : []), ...semanticChecks(schemas?.clusterScoped), ...POLICY_CHECKS] };
}

/**
 * The findings of validateTreeAtOnce, in its order (each check's findings in the order of the
 * objects); or, when the file names do not give every kind or something throws, how many files
 * were read whole (validateTree then validates at once).
 */
export function validateStreamed(options: ValidateOptions, files: readonly string[] = treeFiles(options.dist)): ValidateResult | { readonly fullyRead: number } {
  const kinds = new Set(files.map((f) => path.basename(f).split('.')[0]));
  let loaded: ReturnType<typeof checksFor>;
  try {
    loaded = checksFor(options, kinds);
  } catch {
    return { fullyRead: 0 };
  }
  const { schemas, checks } = loaded;
  const kindsMatter = withSchemas(options);
  const perObject = checks.map(isPerObject);
  const found: ObjectProblem[][] = checks.map(() => []);
  const views: RenderedObject[] = [];
  const crossView = crossViews();
  let fullyRead = 0;
  try {
    for (const f of files) {
      const file = path.join(options.dist, f);
      const objects = readFile(file);
      fullyRead++;
      for (const object of objects) {
        if (kindsMatter && !kinds.has(object.kind)) return { fullyRead };
        const o = { file, object };
        checks.forEach((check, i) => {
          if (perObject[i]) found[i].push(...check([o]));
        });
        views.push(crossView(o));
      }
    }
    checks.forEach((check, i) => {
      if (!perObject[i]) found[i] = check(views);
    });
  } catch {
    // A file the library cannot read, or a check that fails on an odd object: the old order
    // (every file read, then every check) decides which error is seen.
    return { fullyRead };
  }
  return { objects: views.length, files: files.length, schemas: schemas?.description, problems: found.flat() };
}

/** The `.yaml`/`.yml`/`.json` files under `dir` (what an Argo CD directory app applies), sorted. */
function treeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
}

/** The Kubernetes objects of one file (documents that are not objects are skipped). */
function readFile(file: string, quiet = false): KubeObject[] {
  return (readDocuments(fs.readFileSync(file, 'utf8'), quiet) as KubeObject[]).filter((o) => o && typeof o === 'object');
}

function readObjects(dir: string, files: readonly string[], warned: number): RenderedObject[] {
  return files.flatMap((f, i) => {
    const file = path.join(dir, f);
    return readFile(file, i < warned).map((object) => ({ file, object }));
  });
}
