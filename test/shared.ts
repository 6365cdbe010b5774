import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers';

/**
 * The pinned Kubernetes 1.33 schema and CRDs the schema tests need: `.schemas/` as `npm run
 * import` lays it out (a user's clone, after `npm run import -- --schemas-only`), else the
 * reference data beside the repository (`../shared`, this project's development and CI).
 * Without either, those tests never pass silently: under CI (CI=true) they fail with what to run;
 * elsewhere they are skipped with the reason in their title and a note on stderr.
 */
const SCHEMAS = path.join(REPO, '.schemas');
export const SHARED = path.join(REPO, '..', 'shared');

const fromSchemas = fs.existsSync(path.join(SCHEMAS, 'kubernetes-v1.33.0-definitions.json')) && fs.existsSync(path.join(SCHEMAS, 'crds'));
export const SHARED_CRDS = fromSchemas ? path.join(SCHEMAS, 'crds') : path.join(SHARED, 'crds');
export const K8S_SCHEMA = fromSchemas ? path.join(SCHEMAS, 'kubernetes-v1.33.0-definitions.json') : path.join(SHARED, 'schemas', 'kubernetes-v1.33.0-definitions.json');

export const HAS_SHARED = fs.existsSync(SHARED_CRDS) && fs.existsSync(K8S_SCHEMA);

export const SCHEMAS_MISSING = 'needs the pinned Kubernetes schema and CRDs: none in .schemas/ or ../shared; run `npm run import -- --schemas-only` to enable';

let noted = false;
function noteMissing(): void {
  if (noted) return;
  noted = true;
  process.stderr.write(`note: schema tests ${process.env.CI === 'true' ? 'fail' : 'skipped'}: ${SCHEMAS_MISSING}\n`);
}

/** `describe` when the schemas are there; else a failing test under CI, a skip naming the reason elsewhere. */
export const describeWithShared = ((name: string, fn: () => void) => {
  if (HAS_SHARED) return describe(name, fn);
  noteMissing();
  if (process.env.CI === 'true') return describe(name, () => test(`schemas missing: ${SCHEMAS_MISSING}`, () => { throw new Error(SCHEMAS_MISSING); }));
  return describe.skip(`${name} — skipped: ${SCHEMAS_MISSING}`, fn);
}) as jest.Describe;

/** `test`, with the same rule as describeWithShared. */
export const testWithShared = ((name: string, fn: jest.ProvidesCallback, timeout?: number) => {
  if (HAS_SHARED) return test(name, fn, timeout);
  noteMissing();
  if (process.env.CI === 'true') return test(`${name} — schemas missing`, () => { throw new Error(SCHEMAS_MISSING); });
  return test.skip(`${name} — skipped: ${SCHEMAS_MISSING}`, fn);
}) as jest.It;
