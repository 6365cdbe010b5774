import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { version as ajvVersion } from 'ajv/package.json';
import { parseAllDocuments } from 'yaml';
import { defaultSchemaCacheDir, SchemaCache, schemaCache } from '../lib/validate/schema-cache';
import { SHARED_CRDS } from './shared';

/** The CRD files (under ../shared/crds) of the kinds mastodon-cdk8s renders. */
const RENDERED_CRD_FILES = [
  'dragonfly/dragonflydb.io_dragonflies.yaml',
  'cert-manager/cert-manager.io_clusterissuers.yaml',
  'cert-manager/cert-manager.io_issuers.yaml',
  'cert-manager/cert-manager.io_certificates.yaml',
  'gateway-api/gateway.networking.k8s.io_gateways.yaml',
  'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
  'keda/keda.sh_scaledobjects.yaml',
  'keda/keda.sh_triggerauthentications.yaml',
  'argo-cd/application-crd.yaml',
  'argo-cd/appproject-crd.yaml',
  'sealed-secrets/bitnami.com_sealedsecrets.yaml',
];

type Schema = Record<string, unknown>;

/** code.source keeps each validator's code for the on-disk cache; it does not change what is valid. */
const AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false, code: { source: true } } as const;

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
 * `apiVersion` and `kind`; compiled on first use. The compiled validators are kept in the
 * schema cache the CLI uses (lib/validate/schema-cache.ts: node_modules/.cache, keyed by the CRD
 * files' bytes, ajv's version and this file's transform), so a test file reads them back instead
 * of compiling them again; the CRD files are parsed only when a validator is not cached.
 */
export class CrdValidator {
  private readonly dir: string;
  private readonly cache: SchemaCache;
  private readonly gvks: ReadonlySet<string>;
  private read: { ajv: Ajv; schemas: Map<string, Schema> } | undefined;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(dir: string = SHARED_CRDS, cacheDir: string = defaultSchemaCacheDir()) {
    this.dir = dir;
    const parts = ['test/crds.ts CrdValidator', ajvVersion, JSON.stringify(AJV_OPTIONS), closed.toString(), RENDERED_CRD_FILES.join(',')];
    this.cache = schemaCache(cacheDir, parts, RENDERED_CRD_FILES.map((file) => path.join(dir, file)));
    let index = this.cache.index();
    if (!index) {
      index = { gvks: [...this.readNow().schemas.keys()], clusterScoped: [] };
      this.cache.saveIndex(index);
    }
    this.gvks = new Set(index.gvks);
  }

  /** Whether a CRD defines this object's kind. */
  public knows(object: { apiVersion: string; kind: string }): boolean {
    return this.gvks.has(`${object.apiVersion}/${object.kind}`);
  }

  /** The schema errors of an object, as `path: message` lines; empty when valid. */
  public errors(object: { apiVersion: string; kind: string }): string[] {
    const key = `${object.apiVersion}/${object.kind}`;
    if (!this.gvks.has(key)) return [`no CRD defines ${key}`];
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.cache.validator(key) ?? this.compile(key);
      this.compiled.set(key, validate);
    }
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`);
  }

  private compile(key: string): ValidateFunction {
    const { ajv, schemas } = this.readNow();
    const validate = ajv.compile(closed(schemas.get(key)) as Schema);
    this.cache.saveValidator(key, standaloneCode(ajv, validate));
    return validate;
  }

  private readNow(): { ajv: Ajv; schemas: Map<string, Schema> } {
    if (this.read) return this.read;
    const schemas = new Map<string, Schema>();
    for (const file of RENDERED_CRD_FILES) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(this.dir, file), 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions) {
          schemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
        }
      }
    }
    this.read = { ajv: new Ajv(AJV_OPTIONS), schemas };
    return this.read;
  }
}
