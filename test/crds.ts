import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { REPO } from './helpers';

/** The pinned upstream CRDs (shared reference data, never copied into the repo). */
export const CRD_DIR = path.join(REPO, '..', 'shared', 'crds');
/** The CRD folders of the kinds mastodon-cdk8s renders. */
const RENDERED_CRD_FOLDERS = ['dragonfly', 'cert-manager', 'gateway-api', 'keda'];

type Schema = Record<string, unknown>;

/**
 * Closes every object schema that lists its properties, as the API server does by pruning unknown
 * fields (silently, which is why a typo would otherwise pass).
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const s = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, closed(ps)])) : closed(v)])) as Schema;
  if (s.properties && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) s.additionalProperties = false;
  return s;
}

/**
 * Validates rendered objects against the openAPIV3Schema of their CRD version, by
 * `apiVersion` and `kind`; compiled on first use.
 */
export class CrdValidator {
  private readonly schemas = new Map<string, Schema>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

  constructor(dir: string = CRD_DIR) {
    const files = RENDERED_CRD_FOLDERS.flatMap((folder) => fs.readdirSync(path.join(dir, folder)).map((f) => path.join(dir, folder, f)));
    for (const file of files.filter((f) => f.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions) {
          this.schemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
        }
      }
    }
  }

  /** Whether a CRD defines this object's kind. */
  public knows(object: { apiVersion: string; kind: string }): boolean {
    return this.schemas.has(`${object.apiVersion}/${object.kind}`);
  }

  /** The schema errors of an object, as `path: message` lines; empty when valid. */
  public errors(object: { apiVersion: string; kind: string }): string[] {
    const key = `${object.apiVersion}/${object.kind}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const schema = this.schemas.get(key);
      if (!schema) return [`no CRD defines ${key}`];
      validate = this.ajv.compile(closed(schema) as Schema);
      this.compiled.set(key, validate);
    }
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`);
  }
}
