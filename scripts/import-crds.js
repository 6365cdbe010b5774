#!/usr/bin/env node
// Regenerates imports/ offline from the CRD files in ../shared/crds (the same files, byte for
// byte, as the pinned upstream URLs listed in cdk8s.yaml). Users with internet access can run
// `npx cdk8s import` instead, which reads the URLs from cdk8s.yaml.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const crdRoot = process.argv[2] ?? path.resolve(root, '..', 'shared', 'crds');
const config = YAML.parse(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8'));

for (const spec of config.imports) {
  const [prefix, url] = spec.split(':=');
  const local = path.join(crdRoot, config.crdFiles[prefix]);
  execFileSync('npx', ['cdk8s', 'import', '--no-check-upgrade', '--no-save', '--language', 'typescript',
    '--output', 'imports', `${prefix}:=${local}`], { cwd: root, stdio: 'inherit' });
  console.log(`${prefix}: ${url}`);
}
