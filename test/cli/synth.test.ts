import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleVariant, listTree, replaceOnce, runCli as run, tempDir } from '../helpers';

describe('mastodon-cdk8s synth', () => {
  test('GIVEN the same input WHEN rendered twice THEN the output is byte-identical', async () => {
    const config = exampleVariant({}, 'twice');
    const [a, b] = [path.join(tempDir(), 'dist'), path.join(tempDir(), 'dist')];
    expect((await run(['synth', '--config', config, '--out', a])).code).toBe(0);
    expect((await run(['synth', '--config', config, '--out', b])).code).toBe(0);
    expect(listTree(a)).toEqual(listTree(b));
  });

  test('GIVEN two instances rendered WHEN one changes THEN only its folder is rewritten, and the other is not touched', async () => {
    const root = tempDir();
    const out = path.join(root, 'dist');
    const dirs = ['one', 'two'].map((id) => {
      const own = (t: string) => replaceOnce(replaceOnce(t, 'namespace: mastodon', `namespace: ${id}`), '  user: doadmin\n', `  user: doadmin\n  prefix: ${id}\n`);
      const operators = (t: string) => (id === 'one' ? t : replaceOnce(t, '  # operators: auto', '  operators: none #'));
      const dir = exampleVariant({ instance: (t) => operators(own(t)) }, id);
      fs.renameSync(dir, path.join(root, id));
      return path.join(root, id);
    });
    const args = ['synth', ...dirs.flatMap((d) => ['--config', d]), '--out', out];
    expect((await run(args)).stdout).toMatch(/\(updated: one, two\)\n$/);
    const untouched = fs.statSync(path.join(out, 'two/mastodon/Deployment.web.yaml')).mtimeMs;
    expect((await run(args)).stdout).toMatch(/\(no changes\)\n$/);
    const config = path.join(dirs[0], 'instance.yaml');
    fs.writeFileSync(config, replaceOnce(fs.readFileSync(config, 'utf8'), 'logLevel: warn', 'logLevel: info'));
    const before = listTree(path.join(out, 'one'));
    const inode = (file: string) => fs.statSync(path.join(out, 'one', file)).ino;
    const inodes = Object.fromEntries(Object.keys(before).map((file) => [file, inode(file)]));
    expect((await run(args)).stdout).toMatch(/\(updated: one\)\n$/);
    expect(fs.statSync(path.join(out, 'two/mastodon/Deployment.web.yaml')).mtimeMs).toBe(untouched);
    // In the folder rewritten, the files that did not change are the same files (linked, no new
    // inode); the changed ones are new.
    const after = listTree(path.join(out, 'one'));
    const changed = Object.keys(after).filter((file) => after[file] !== before[file]);
    expect(changed).toContain('mastodon/ConfigMap.mastodon-env.yaml');
    expect(Object.keys(after).filter((file) => (inode(file) === inodes[file]) === changed.includes(file))).toEqual([]);
  });

  test('GIVEN a stray file and the folder of a removed instance WHEN all is rendered THEN both are gone, and folders the tool did not write stay', async () => {
    // GIVEN a repository-like root: config/kept/ and dist/
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'config'));
    fs.renameSync(exampleVariant({}, 'kept'), path.join(root, 'config', 'kept'));
    const out = path.join(root, 'dist');
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await run(['synth']);
      fs.writeFileSync(path.join(out, 'kept', 'mastodon', 'Stray.yaml'), 'kind: Stray\n');
      fs.mkdirSync(path.join(out, 'removed'));
      fs.writeFileSync(path.join(out, 'removed', 'Deployment.web.yaml'), 'kind: Deployment\n');
      fs.writeFileSync(path.join(out, 'removed', 'SECRETS.md'), '# Secrets of instance `removed`\n');
      fs.mkdirSync(path.join(out, 'notes'));
      fs.writeFileSync(path.join(out, 'notes', 'keep.txt'), 'not rendered by mastodon-cdk8s\n');
      // WHEN every instance is rendered
      expect((await run(['synth'])).stdout).toMatch(/\(updated: kept, removed\)\n$/);
    } finally {
      process.chdir(cwd);
    }
    // THEN the rendered instance folders are as rendered, and what the tool did not write is kept
    expect(fs.readdirSync(out).sort()).toEqual(['kept', 'notes']);
    expect(fs.existsSync(path.join(out, 'kept', 'mastodon', 'Stray.yaml'))).toBe(false);
  });

  test('GIVEN a pool removed from the plan WHEN re-rendered THEN its stale file is gone', async () => {
    const out = path.join(tempDir(), 'dist');
    const config = exampleVariant({}, 'stale');
    await run(['synth', '--config', config, '--out', out]);
    expect(fs.existsSync(path.join(out, 'stale/mastodon/Deployment.sidekiq-scheduler.yaml'))).toBe(true);
    fs.writeFileSync(path.join(config, 'queue-plan.yaml'), 'pools:\n  all:\n    threads: 5\n    replicas: 1\n    queues: [default, scheduler, mailers, push, ingress, pull, fasp]\n');
    expect((await run(['synth', '--config', config, '--out', out])).code).toBe(0);
    const files = Object.keys(listTree(out));
    expect(files).toContain('stale/mastodon/Deployment.sidekiq-all.yaml');
    expect(files.filter((f) => f.includes('sidekiq-scheduler') || f.includes('sidekiq-default'))).toEqual([]);
  });

  test('GIVEN one instance selected WHEN rendered THEN other instances in the output are kept', async () => {
    const out = path.join(tempDir(), 'dist');
    await run(['synth', '--config', exampleVariant({}, 'one'), '--out', out]);
    await run(['synth', '--config', exampleVariant({ instance: (t) => replaceOnce(t, 'namespace: mastodon', 'namespace: two') }, 'two'), '--out', out]);
    expect(fs.readdirSync(out).sort()).toEqual(['one', 'two']);
  });

  test('GIVEN bad input WHEN rendered THEN it exits 1 with the positioned message, no stack, and the output untouched', async () => {
    const out = path.join(tempDir(), 'dist');
    const good = exampleVariant({}, 'inst');
    await run(['synth', '--config', good, '--out', out]);
    const before = listTree(out);
    const bad = exampleVariant({ queuePlan: (t) => replaceOnce(t, 'threads: 4', 'threads: 0') }, 'inst');
    const result = await run(['synth', '--config', bad, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/queue-plan\.yaml:16:14: pools\.scheduler\.threads: 0 is not allowed: must be >= 1/);
    expect(result.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(listTree(out)).toEqual(before);
  });

  test('GIVEN two instances in one namespace WHEN rendered THEN that is an error', async () => {
    const root = tempDir();
    for (const id of ['a', 'b']) {
      const dir = exampleVariant({}, id);
      fs.renameSync(dir, path.join(root, id));
    }
    const result = await run(['synth', '--config', path.join(root, 'a'), '--config', path.join(root, 'b'), '--out', path.join(root, 'dist')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/b[\\/]instance\.yaml:7:12: namespace: "mastodon" is already used by instance a/);
  });

  test('GIVEN two instances both installing the operators into one cluster WHEN rendered THEN the duplicate Applications are an error at the config line, with the fix, naming no dist/ file', async () => {
    const root = tempDir();
    const dirs = ['a', 'b'].map((id) => {
      const dir = exampleVariant({ instance: (t) => replaceOnce(replaceOnce(t, 'namespace: mastodon', `namespace: ${id}`), '  user: doadmin\n', `  user: doadmin\n  prefix: ${id}\n`) }, id);
      fs.renameSync(dir, path.join(root, id));
      return path.join(root, id);
    });
    const result = await run(['synth', ...dirs.flatMap((d) => ['--config', d]), '--out', path.join(root, 'dist')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/b[\\/]instance\.yaml:\d+:3: argocd: the operator Applications "cert-manager", "dragonfly-operator", "ingress-nginx" in namespace argocd are already rendered for instance a \(.*a[\\/]instance\.yaml:\d+:3\); allowed: declare the cluster's operators once in config\/clusters\/<cluster>\.yaml/);
    expect(result.stderr).not.toContain('dist');
  });

  test('GIVEN several instances with their own namespaces WHEN rendered THEN each renders into its own folder', async () => {
    const root = tempDir();
    const dirs = [1, 2, 3].map((n) => {
      // One cluster: tenant-1 installs the cluster-wide operators, the others use them.
      const operators = (t: string) => (n === 1 ? t : replaceOnce(t, '  # operators: auto', '  operators: none #'));
      const own = (t: string) => operators(replaceOnce(replaceOnce(t, 'namespace: mastodon', `namespace: tenant-${n}`), '  user: doadmin\n', `  user: doadmin\n  prefix: tenant_${n}\n`));
      const dir = exampleVariant({ instance: own }, `tenant-${n}`);
      fs.renameSync(dir, path.join(root, `tenant-${n}`));
      return path.join(root, `tenant-${n}`);
    });
    const out = path.join(root, 'dist');
    const result = await run(['synth', ...dirs.flatMap((d) => ['--config', d]), '--out', out]);
    expect(result.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['tenant-1', 'tenant-2', 'tenant-3']);
    expect(fs.readFileSync(path.join(out, 'tenant-2/mastodon/Deployment.web.yaml'), 'utf8')).toMatch(/namespace: tenant-2/);
  });

  test('GIVEN two broken instances among good ones THEN every problem is reported, a shared one once', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'defaults'));
    fs.writeFileSync(path.join(root, 'defaults', 'instance.yaml'), 'web:\n  threads: 0\n');
    const edits: Record<string, (t: string) => string> = {
      good: (t) => t.replace(/^web:\n(  .*\n)+/m, ''),
      bad: (t) => replaceOnce(t.replace(/^web:\n(  .*\n)+/m, ''), 'namespace: mastodon', 'namespace: Bad_Namespace'),
      worse: (t) => replaceOnce(t.replace(/^web:\n(  .*\n)+/m, ''), 'version: v4.7.2', 'version: latest'),
    };
    const dirs = Object.entries(edits).map(([id, edit]) => {
      fs.renameSync(exampleVariant({ instance: edit }, id), path.join(root, id));
      return path.join(root, id);
    });
    const result = await run(['synth', ...dirs.flatMap((d) => ['--config', d]), '--out', path.join(root, 'dist')]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe('error: 3 problems in the configuration');
    expect(lines.filter((l) => /defaults[\\/]instance\.yaml:2:12: web\.threads: 0 is not allowed/.test(l))).toHaveLength(1);
    expect(result.stderr).toMatch(/bad[\\/]instance\.yaml:7:12: namespace: "Bad_Namespace" is not allowed/);
    expect(result.stderr).toMatch(/worse[\\/]instance\.yaml:10:12: mastodon\.version: "latest" is not allowed/);
    expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
  });

  test('GIVEN two instances sharing search indices and a backup folder THEN both clashes are errors', async () => {
    const root = tempDir();
    for (const [id, ns] of [['a', 'one'], ['b', 'two']]) {
      const dir = exampleVariant({ instance: (t) => replaceOnce(replaceOnce(t, 'namespace: mastodon', `namespace: ${ns}`), '    bucket: example-social-backups\n', '    bucket: example-social-backups\n    prefix: shared\n') }, id);
      fs.renameSync(dir, path.join(root, id));
    }
    const result = await run(['synth', '--config', path.join(root, 'a'), '--config', path.join(root, 'b'), '--out', path.join(root, 'dist')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/b[\\/]instance\.yaml:\d+:3: search: the search indices without a prefix on https:\/\/private-example-search.* are already used by instance a; allowed: a search\.prefix of its own/);
    expect(result.stderr).toMatch(/b[\\/]instance\.yaml:\d+:13: backups\.destination\.prefix: the backup folder example-social-backups\/shared is already used by instance a .*; allowed: a backups\.destination\.prefix of its own/);
  });

  test('GIVEN an unknown option WHEN run THEN commander reports it and exits non-zero', async () => {
    const result = await run(['synth', '--bogus']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown option '--bogus'/);
  });
});

