import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { REPO } from './helpers';

/** The pinned upstream CRDs (../shared/crds), present in this project's CI but not in a user's clone. */
export const SHARED_CRDS = path.join(REPO, '..', 'shared', 'crds');

/**
 * A validator for objects of a CRD, from its openAPIV3Schema. Stricter than the API server, which
 * silently prunes unknown fields: objects with declared properties reject fields they do not
 * declare, so a misspelt field fails the test instead of vanishing in the cluster.
 */
export function crdValidator(crdFile: string): ValidateFunction {
  const crd = parse(fs.readFileSync(path.join(SHARED_CRDS, crdFile), 'utf8'));
  const version = crd.spec.versions.find((v: any) => v.storage) ?? crd.spec.versions[0];
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(strict(version.schema.openAPIV3Schema));
}

function strict(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, strict(s)])) : strict(v)]));
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}
