'use strict';
// A hosting provider's config root, generated from the example fixture (test/fixtures/config/example,
// which a fork keeps when it deletes config/example): one place for the benchmark (and any test)
// that needs a repository of many instances.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** `tenant-001`, `tenant-002`, … */
const instanceId = (i) => `tenant-${String(i + 1).padStart(3, '0')}`;

/**
 * Writes a config root with `count` instances into `dir`: the example's settings as the shared
 * config/defaults/ (instance.yaml without namespace and domains, and the queue plan), and per
 * instance a short instance.yaml with what is its own (namespace, domain, database host, media
 * bucket, sender, search prefix); the first installs the cluster operators for all of them.
 * Returns the instance folders in order.
 */
function generateInstances(dir, count) {
  const read = (file) => fs.readFileSync(path.join(root, 'test', 'fixtures', 'config', 'example', file), 'utf8');
  const write = (folder, file, text) => {
    fs.mkdirSync(path.join(dir, folder), { recursive: true });
    fs.writeFileSync(path.join(dir, folder, file), text);
  };
  write('defaults', 'instance.yaml', read('instance.yaml').replace(/^namespace: .*\n/m, '').replace(/^mastodon:\n( {2}.*\n)+/m, ''));
  write('defaults', 'queue-plan.yaml', read('queue-plan.yaml'));
  return Array.from({ length: count }, (_, i) => {
    const id = instanceId(i);
    write(id, 'instance.yaml', instanceYaml(id, { installsOperators: i === 0 }));
    return path.join(dir, id);
  });
}

/** One generated instance's own instance.yaml; `sender` is the local part of its mail sender. */
function instanceYaml(id, { installsOperators, sender = 'notifications' }) {
  return [
    `namespace: ${id}`,
    'mastodon:',
    '  version: v4.7.2',
    `  localDomain: ${id}.example.net`,
    'database:',
    `  host: private-${id}-db-do-user-0000000-0.f.db.ondigitalocean.com`,
    'storage:',
    '  s3:',
    `    bucket: ${id}-media`,
    `    aliasHost: cdn.${id}.example.net`,
    'smtp:',
    `  fromAddress: ${sender}@${id}.example.net`,
    'search:',
    `  prefix: ${id.replace('-', '_')}`,
    // One cluster: the first tenant installs the cluster-wide operators, the others use them.
    ...(installsOperators ? [] : ['argocd:', '  operators: none']),
    '',
  ].join('\n');
}

module.exports = { generateInstances, instanceYaml, instanceId };
