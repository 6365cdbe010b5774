import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleVariant, listTree, replaceOnce, runCli as run, tempDir } from '../helpers';
import { describeWithShared, K8S_SCHEMA, SHARED_CRDS as CRDS } from '../shared';


/** Runs `fn` with `dir` as the working directory. */
async function inDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

/** The example rendered into a fresh output directory. */
async function renderedExample(): Promise<string> {
  const out = path.join(tempDir(), 'dist');
  expect((await run(['synth', '--config', exampleVariant({}, 'example'), '--out', out])).code).toBe(0);
  return out;
}

describeWithShared('mastodon-cdk8s validate', () => {
  test('GIVEN a fresh render WHEN validated with the schemas THEN every layer passes', async () => {
    const out = await renderedExample();
    const result = await run(['validate', '--dist', out, '--k8s-schema', K8S_SCHEMA, '--crds', CRDS]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`valid: 60 objects in 60 files under ${out}/ (schema (kubernetes-v1.33.0-definitions.json and CRDs from ${CRDS}), semantic, policy)\n`);
  });

  test('GIVEN no schema files WHEN validated THEN it says the schema layer is skipped and how to enable it; with --require-schemas it fails', async () => {
    const out = await renderedExample();
    const how = 'run `npm run import -- --schemas-only` (downloads the pinned Kubernetes 1.33 schema and CRDs listed in cdk8s.yaml into .schemas/ and checks their sha256), or pass --k8s-schema and --crds';
    const result = await inDir(tempDir(), () => run(['validate', '--dist', out]));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`note: no schemas found: schema checks skipped, running the semantic and policy checks only; to check against the Kubernetes and CRD schemas, ${how}\n`);
    expect(result.stdout).toMatch(/^valid: 60 objects in 60 files under .* \(semantic, policy\)\n$/);
    const required = await inDir(tempDir(), () => run(['validate', '--dist', out, '--require-schemas']));
    expect(required).toMatchObject({ code: 1, stdout: '', stderr: `error: --require-schemas: no schemas in .schemas/ and no --k8s-schema or --crds given; ${how}\n` });
  });

  test('GIVEN .schemas/ as `npm run import` lays it out WHEN validated without options THEN it is used', async () => {
    const out = await renderedExample();
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '.schemas', 'crds'), { recursive: true });
    fs.copyFileSync(K8S_SCHEMA, path.join(dir, '.schemas', 'kubernetes-v1.33.0-definitions.json'));
    for (const f of fs.readdirSync(CRDS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'))) fs.copyFileSync(path.join(CRDS, f), path.join(dir, '.schemas', 'crds', path.basename(f)));
    const result = await inDir(dir, () => run(['validate', '--dist', out, '--require-schemas']));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('(schema (kubernetes-v1.33.0-definitions.json and CRDs from .schemas/crds), semantic, policy)');
  });

  test('GIVEN a hand-edited file WHEN validated THEN each problem names file, object and path, and it exits 1', async () => {
    const out = await renderedExample();
    const file = path.join(out, 'example', 'mastodon', 'Deployment.web.yaml');
    // The first occurrence is the mastodon container's (containers sorts before initContainers).
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false\n            readOnlyRoot: true'));
    const result = await run(['validate', '--dist', out, '--k8s-schema', K8S_SCHEMA, '--crds', CRDS]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe([
      `error: 2 problems in 60 objects in 60 files under ${out}/ (schema (kubernetes-v1.33.0-definitions.json and CRDs from ${CRDS}), semantic, policy)`,
      `${file}: Deployment/web: spec.template.spec.containers[0].securityContext.readOnlyRoot: unknown field "readOnlyRoot"`,
      `${file}: Deployment/web: spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem: must be true: write only to emptyDir volumes`,
      '',
    ].join('\n'));
  });

  test('GIVEN a missing tree WHEN validated THEN the option is named', async () => {
    const result = await run(['validate', '--dist', path.join(tempDir(), 'nothing')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: --dist .*nothing does not exist\n/);
  });
});

describe('synth checks what it renders', () => {
  test('GIVEN a secret setting of Mastodon in extraEnv WHEN loaded THEN it is refused at its line', async () => {
    const bad = exampleVariant({ instance: (t) => replaceOnce(t, '  defaultLocale: en\n', '  defaultLocale: en\n  extraEnv:\n    OIDC_CLIENT_SECRET: abc123\n') }, 'inst');
    const result = await run(['synth', '--config', bad, '--out', path.join(tempDir(), 'dist')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/instance\.yaml:\d+:5: mastodon\.extraEnv\.OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET holds a secret \(read at M:config\/initializers\/3_omniauth\.rb:94\), and extraEnv is committed to Git; allowed: mastodon\.secretEnv\.OIDC_CLIENT_SECRET/);
    expect(result.stderr).not.toContain('abc123');
  });

  test('GIVEN a password inside a URL in extraEnv WHEN rendered THEN synth refuses it at its config line, masked, and dist is untouched', async () => {
    const out = path.join(tempDir(), 'dist');
    await run(['synth', '--config', exampleVariant({}, 'inst'), '--out', out]);
    const before = listTree(out);
    const bad = exampleVariant({ instance: (t) => replaceOnce(t, '  defaultLocale: en\n', '  defaultLocale: en\n  extraEnv:\n    UPSTREAM_URL: https://relay:hunter2@relay.example.net\n') }, 'inst');
    const result = await run(['synth', '--config', bad, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: invalid configuration\n.*instance\.yaml:16:19: mastodon\.extraEnv\.UPSTREAM_URL: holds what looks like a password in a URL \(hu… \(7 characters\), at character 15 of the value\)/);
    expect(result.stderr).not.toContain('hunter2');
    expect(listTree(out)).toEqual(before);
  });

  test('GIVEN an override whose request is above its limit WHEN rendered THEN synth fails naming the file it would write, and dist is untouched', async () => {
    const out = path.join(tempDir(), 'dist');
    await run(['synth', '--config', exampleVariant({}, 'inst'), '--out', out]);
    const before = listTree(out);
    const bad = exampleVariant({ instance: (t) => replaceOnce(t, '  threads: 8 # MAX_THREADS\n', '  threads: 8\n  resources: { requests: { memory: 4Gi }, limits: { memory: 1Gi } }\n') }, 'inst');
    const result = await run(['synth', '--config', bad, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').slice(0, 2)).toEqual([
      'error: the rendered output fails 1 check; nothing was written',
      `${path.join(out, 'inst/mastodon/Deployment.web.yaml')}: Deployment/web: spec.template.spec.containers[0].resources.requests.memory: 4Gi is above the limit 1Gi; a request must not exceed its limit`,
    ]);
    expect(listTree(out)).toEqual(before);
  });
});
