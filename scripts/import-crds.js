#!/usr/bin/env node
// `npm run import [-- --from <dir>] [-- --schemas-only]`: brings the pinned CRDs and the
// Kubernetes 1.33 JSON Schema listed in cdk8s.yaml into .schemas/ (gitignored), each checked
// against the sha256 recorded there, then regenerates imports/ from those files.
//  - Source: `--from <dir>` (a folder laid out as ../shared: crds/…, schemas/…); without it,
//    ../shared when it exists (this project's development and CI, which have no network beyond
//    the package registries), else the upstream URLs (a user's machine or CI).
//  - A file already in .schemas/ with the pinned sha256 is kept (no download); any other file
//    whose sha256 differs stops everything: nothing is written.
//  - `mastodon-cdk8s validate` and the tests find .schemas/ by default (`--into <dir>` with
//    --schemas-only writes elsewhere).
'use strict';
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
let SCHEMAS = path.join(root, '.schemas');

function parseArgs(argv) {
  const out = { from: undefined, into: undefined, schemasOnly: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from') out.from = argv[++i];
    else if (argv[i] === '--schemas-only') out.schemasOnly = true;
    else if (argv[i] === '--into') out.into = argv[++i];
    else if (!argv[i].startsWith('-') && out.from === undefined) out.from = path.basename(argv[i]) === 'crds' ? path.dirname(argv[i]) : argv[i]; // the old `import-crds.js <crds dir>`
    else fail(`unknown argument ${argv[i]}; usage: npm run import [-- --from <dir>] [-- --into <dir>] [-- --schemas-only]`);
  }
  return out;
}

class ImportError extends Error {}

function fail(message) {
  throw new ImportError(message);
}

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

async function bytesOf(item, from) {
  // A file already in .schemas/ (a CI cache, an earlier run) with the pinned hash is kept.
  const kept = path.join(SCHEMAS, item.target);
  if (fs.existsSync(kept)) {
    const bytes = fs.readFileSync(kept);
    if (sha256(bytes) === item.sha256) return { bytes, source: kept };
  }
  if (from) {
    const file = path.join(from, item.shared);
    if (!fs.existsSync(file)) fail(`${file} does not exist (--from ${from}: expected crds/… and schemas/… as in ../shared)`);
    return { bytes: fs.readFileSync(file), source: file };
  }
  let response;
  try {
    response = await fetch(item.url);
  } catch (e) {
    fail(`cannot download ${item.url}: ${e.cause?.message ?? e.message} (offline? pass --from <dir> with the same files)`);
  }
  if (!response.ok) fail(`cannot download ${item.url}: HTTP ${response.status}`);
  return { bytes: Buffer.from(await response.arrayBuffer()), source: item.url };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.into) SCHEMAS = path.resolve(args.into);
  if (args.into && !args.schemasOnly) fail('--into writes the schemas elsewhere: use it with --schemas-only (imports/ is generated from .schemas/)');
  const config = YAML.parse(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8'));
  const shared = path.resolve(root, '..', 'shared');
  const from = args.from ?? (fs.existsSync(path.join(shared, 'crds')) ? shared : undefined);
  const k8s = config.validation.kubernetes;
  const items = [
    { target: k8s.file, url: k8s.url, shared: k8s.shared, sha256: k8s.sha256 },
    ...config.imports.map((spec) => {
      const [prefix, url] = spec.split(':=');
      if (!config.sha256?.[prefix]) fail(`cdk8s.yaml: no sha256 for import ${prefix}`);
      return { prefix, target: `crds/${config.crdFiles[prefix]}`, url, shared: path.join('crds', config.crdFiles[prefix]), sha256: config.sha256[prefix] };
    }),
    // Validation only: no generated class.
    ...Object.values(config.validation.crds ?? {}).map((crd) => ({ target: `crds/${crd.file}`, url: crd.url, shared: path.join('crds', crd.file), sha256: crd.sha256 })),
  ];
  const staged = `${SCHEMAS}.tmp-${process.pid}`;
  fs.rmSync(staged, { recursive: true, force: true });
  fs.mkdirSync(path.join(staged, 'crds'), { recursive: true });
  try {
    for (const item of items) {
      const { bytes, source } = await bytesOf(item, from);
      const got = sha256(bytes);
      if (got !== item.sha256) fail(`${source}: sha256 ${got}, expected ${item.sha256} (cdk8s.yaml); nothing was written`);
      fs.mkdirSync(path.dirname(path.join(staged, item.target)), { recursive: true });
      fs.writeFileSync(path.join(staged, item.target), bytes);
      console.log(`${item.target}: ${item.url} (sha256 ok${source === item.url ? '' : `, from ${path.relative(root, source) || source}`})`);
    }
    fs.rmSync(SCHEMAS, { recursive: true, force: true });
    fs.renameSync(staged, SCHEMAS);
  } finally {
    fs.rmSync(staged, { recursive: true, force: true });
  }
  if (args.schemasOnly) return;
  for (const item of items.filter((i) => i.prefix)) {
    execFileSync('npx', ['cdk8s', 'import', '--no-check-upgrade', '--no-save', '--language', 'typescript',
      '--output', 'imports', `${item.prefix}:=${path.join(SCHEMAS, item.target)}`], { cwd: root, stdio: 'inherit' });
  }
}

main().catch((e) => {
  process.stderr.write(`error: ${e.message}\n`);
  process.exitCode = 1;
});
