import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { REPO, tempDir } from '../helpers';

/** `npm run import` (scripts/import-crds.js) on the files of `from`, laid out as ../shared. */
function runImport(from: string, into: string) {
  return spawnSync(process.execPath, [path.join(REPO, 'scripts', 'import-crds.js'), '--from', from, '--into', into, '--schemas-only'], { encoding: 'utf8' });
}

describe('npm run import: the pinned schemas for validation in any CI', () => {
  const config = parse(fs.readFileSync(path.join(REPO, 'cdk8s.yaml'), 'utf8'));

  test('GIVEN cdk8s.yaml THEN every import and the Kubernetes schema have a pinned URL (a tag or a commit) and a sha256', () => {
    const prefixes = config.imports.map((spec: string) => spec.split(':=')[0]);
    expect(Object.keys(config.sha256).sort()).toEqual([...prefixes].sort());
    for (const sha of [...Object.values(config.sha256), config.validation.kubernetes.sha256]) expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(config.validation.kubernetes.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/cdk8s-team\/cdk8s\/[0-9a-f]{40}\/kubernetes-schemas\/v1\.33\.0\/_definitions\.json$/);
    for (const spec of config.imports) expect(spec).toMatch(/:=https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/v\d+\.\d+\.\d+\//);
  });

  test('GIVEN a file whose bytes differ from the pinned sha256 THEN it exits 1 naming the file and both hashes, and writes nothing', () => {
    const from = tempDir();
    fs.mkdirSync(path.join(from, 'schemas'));
    fs.writeFileSync(path.join(from, 'schemas', 'kubernetes-v1.33.0-definitions.json'), '{"definitions": {}}\n');
    const into = path.join(tempDir(), '.schemas');
    const result = runImport(from, into);
    expect(result.status).toBe(1);
    const got = createHash('sha256').update('{"definitions": {}}\n').digest('hex');
    expect(result.stderr).toBe(`error: ${path.join(from, 'schemas', 'kubernetes-v1.33.0-definitions.json')}: sha256 ${got}, expected ${config.validation.kubernetes.sha256} (cdk8s.yaml); nothing was written\n`);
    expect(fs.readdirSync(path.dirname(into))).toEqual([]);
  });

  (fs.existsSync(path.join(REPO, '..', 'shared', 'crds')) ? test : test.skip)('GIVEN ../shared THEN every file matches its pin and lands in the layout validate reads (skipped without ../shared: the other tests cover the checks)', () => {
    const into = path.join(tempDir(), '.schemas');
    const result = runImport(path.join(REPO, '..', 'shared'), into);
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(into, 'kubernetes-v1.33.0-definitions.json'))).toBe(true);
    for (const file of Object.values(config.crdFiles) as string[]) expect(fs.existsSync(path.join(into, 'crds', file))).toBe(true);
    // CRDs for validation only (the ApplicationSet, rendered without a generated class).
    for (const crd of Object.values(config.validation.crds) as { file: string }[]) expect(fs.existsSync(path.join(into, 'crds', crd.file))).toBe(true);
  });

  test('GIVEN a folder without the files THEN it exits 1 saying what it expected', () => {
    const result = runImport(tempDir(), path.join(tempDir(), '.schemas'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*kubernetes-v1\.33\.0-definitions\.json does not exist \(--from .*: expected crds\/… and schemas\/… as in \.\.\/shared\)\n$/);
  });
});
