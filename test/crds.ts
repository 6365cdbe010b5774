import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
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

  constructor(dir: string = SHARED_CRDS) {
    for (const file of RENDERED_CRD_FILES) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
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
