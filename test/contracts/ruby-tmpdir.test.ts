import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_DIR, objects, tempDir, renderedFiles } from '../helpers';
import { describeWithRuby } from '../programs';

/**
 * CONTRACT: Ruby's `Dir.tmpdir` (ruby/tmpdir v0.3.1, commit 0245079c, lib/tmpdir.rb:25-45) takes the
 * first of TMPDIR, TMP, TEMP, the system temp path (/tmp) and `.` that is a directory, writable
 * (`File.writable?`) and not world-writable unless sticky; otherwise it raises ArgumentError
 * "could not find a temporary directory". kubelet creates an emptyDir with mode 0777, plus the
 * setgid bit and the fsGroup as group when the pod sets fsGroup, and never the sticky bit
 * (kubernetes/kubernetes#110835, KEP-5502).
 *
 * This test reads the layout from the rendered pods of both examples (the TMPDIR volume's mount
 * path, TMPDIR, the init container's command, the pod's UID/GID/fsGroup), builds that layout on
 * this machine and runs the real `ruby -e 'require "tmpdir"; puts Dir.tmpdir'` as the pod's
 * non-root user from a read-only working directory (the image's WORKDIR is on the read-only root).
 * The same run against the old layout (the emptyDir itself at /tmp, no TMPDIR) must fail, so the
 * test can fail.
 *
 * With root and mount namespaces (`unshare --mount`), the emptyDir is a tmpfs mounted at the
 * rendered mount path itself, exactly as in the pod; without them, the layout is rebuilt under a
 * scratch directory with every rendered path mapped into it (then Ruby's own fallback, this
 * machine's sticky /tmp, is accepted instead of the rejected emptyDir, and the test checks which
 * directory Ruby chose and its warning).
 */

const RUBY_PROGRAM = 'require "tmpdir"; puts Dir.tmpdir';
const isRoot = process.getuid?.() === 0;
const haveNamespaces = isRoot && spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']).status === 0;

/** One pod's temp-directory layout, as rendered. */
interface Layout {
  readonly pods: string[];
  readonly mountPath: string;
  readonly tmpdir: string;
  readonly initCommand: readonly string[];
  readonly uid: number;
  readonly gid: number;
  readonly fsGroup: number;
}

function renderedLayouts(): Layout[] {
  const byKey = new Map<string, Layout>();
  for (const id of ['example', 'gateway-example']) {
    const tree = renderedFiles(path.join(FIXTURES_DIR, id));
    for (const [file, o] of objects(tree)) {
      const template = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec?.template;
      const spec = template?.spec;
      for (const c of spec?.containers ?? []) {
        if (!/^ghcr\.io\/mastodon\/mastodon:/.test(c.image)) continue;
        const tmpdir = (c.env ?? []).find((e: any) => e.name === 'TMPDIR')?.value;
        if (!tmpdir) throw new Error(`${file}: ${c.name} runs the Mastodon Ruby image without TMPDIR`);
        const mount = (c.volumeMounts ?? []).filter((m: any) => tmpdir.startsWith(`${m.mountPath}/`))
          .sort((a: any, b: any) => b.mountPath.length - a.mountPath.length)[0];
        if (!mount) throw new Error(`${file}: TMPDIR ${tmpdir} is on no volume`);
        const init = (spec.initContainers ?? []).find((i: any) => (i.volumeMounts ?? []).some((m: any) => m.name === mount.name));
        if (!init) throw new Error(`${file}: no init container mounts volume ${mount.name}`);
        const pod = spec.securityContext ?? {};
        const layout: Layout = {
          pods: [file],
          mountPath: mount.mountPath,
          tmpdir,
          initCommand: init.command,
          uid: init.securityContext?.runAsUser ?? pod.runAsUser,
          gid: init.securityContext?.runAsGroup ?? pod.runAsGroup,
          fsGroup: pod.fsGroup,
        };
        expect(c.securityContext?.runAsUser ?? pod.runAsUser).toBe(layout.uid);
        const key = JSON.stringify({ ...layout, pods: [] });
        const seen = byKey.get(key);
        if (seen) seen.pods.push(file);
        else byKey.set(key, layout);
      }
    }
  }
  return [...byKey.values()];
}

/** Runs argv as the pod's user (setpriv when root; as this non-root user otherwise). */
function asUser(layout: Layout, argv: readonly string[]): string[] {
  return isRoot ? ['setpriv', `--reuid=${layout.uid}`, `--regid=${layout.gid}`, `--groups=${layout.fsGroup}`, ...argv] : [...argv];
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The emptyDir as kubelet makes it with fsGroup: mode 0777 + setgid, group fsGroup, no sticky bit. */
function emptyDirCommands(layout: Layout, at: string): string[] {
  return [`chgrp ${layout.fsGroup} ${shellQuote(at)}`, `chmod 2777 ${shellQuote(at)}`];
}

interface RubyRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The directory Ruby should have chosen, in this run's paths. */
  readonly expected: string;
  /** The emptyDir, in this run's paths. */
  readonly emptyDir: string;
}

function result(r: SpawnSyncReturns<string>, expected: string, emptyDir: string): RubyRun {
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr, expected, emptyDir };
}

/**
 * Builds the layout and runs Ruby. `prepared`: the rendered layout (the init command, then Ruby
 * with TMPDIR); otherwise the old one (the emptyDir itself as the only temp directory).
 */
function runRuby(layout: Layout, prepared: boolean): RubyRun {
  const ruby = ['env', '-i', ...(prepared ? [`TMPDIR=${layout.tmpdir}`] : []), 'ruby', '-e', RUBY_PROGRAM];
  if (haveNamespaces) {
    // In a private mount namespace: the emptyDir is a tmpfs at the rendered mount path; the
    // working directory is / (root-owned, so read-only to the pod's user).
    const script = [
      `mount -t tmpfs -o mode=0777 emptydir ${shellQuote(layout.mountPath)}`,
      ...emptyDirCommands(layout, layout.mountPath),
      'cd /',
      ...(prepared ? [asUser(layout, layout.initCommand).map(shellQuote).join(' ')] : []),
      `exec ${asUser(layout, ruby).map(shellQuote).join(' ')}`,
    ].join(' && ');
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8' });
    return result(r, layout.tmpdir, layout.mountPath);
  }
  // Every rendered path below the mount path is mapped into a scratch copy of the emptyDir.
  const base = tempDir('ruby-tmpdir-');
  const emptyDir = path.join(base, 'emptydir');
  const readOnlyCwd = path.join(base, 'workdir');
  fs.mkdirSync(emptyDir);
  fs.mkdirSync(readOnlyCwd, { mode: 0o555 });
  fs.chmodSync(base, 0o755);
  const mapPath = (p: string) => (p === layout.mountPath || p.startsWith(`${layout.mountPath}/`) ? emptyDir + p.slice(layout.mountPath.length) : p);
  const setup = isRoot ? emptyDirCommands(layout, emptyDir) : [`chmod 2777 ${shellQuote(emptyDir)}`];
  const mappedRuby = ['env', '-i', `TMPDIR=${prepared ? mapPath(layout.tmpdir) : emptyDir}`, 'ruby', '-e', RUBY_PROGRAM];
  const script = [
    ...setup,
    `cd ${shellQuote(readOnlyCwd)}`,
    ...(prepared ? [asUser(layout, layout.initCommand.map(mapPath)).map(shellQuote).join(' ')] : []),
    `exec ${asUser(layout, mappedRuby).map(shellQuote).join(' ')}`,
  ].join(' && ');
  return result(spawnSync('sh', ['-c', script], { encoding: 'utf8' }), mapPath(layout.tmpdir), emptyDir);
}

const suite = describeWithRuby('require "tmpdir"', 'apt-get install ruby');

suite(`CONTRACT ruby/tmpdir v0.3.1 lib/tmpdir.rb:25-45: the real Ruby accepts the rendered TMPDIR (${haveNamespaces ? 'emptyDir mounted at its rendered path in a mount namespace' : 'layout mapped into a scratch directory'})`, () => {
  const layouts = renderedLayouts();

  test('GIVEN both examples THEN every Mastodon Ruby pod (web, each Sidekiq pool, each Job) has a layout to check', () => {
    const pods = layouts.flatMap((l) => l.pods);
    for (const id of ['example', 'gateway-example']) {
      for (const name of ['Deployment.web', 'Deployment.sidekiq-default', 'Deployment.sidekiq-scheduler', 'Job.db-migrate-pre', 'Job.db-migrate-post']) {
        expect(pods).toContain(`${id}/mastodon/${name}.yaml`);
      }
    }
    expect(pods).toContain('example/search/Job.search-deploy-1.yaml');
  });

  test.each(layouts.map((l) => [l.pods.join(', '), l] as const))('GIVEN the layout of %s WHEN Ruby runs as the pod user from a read-only working directory THEN Dir.tmpdir is TMPDIR', (_pods, layout) => {
    const run = runRuby(layout, true);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(run.expected);
  });

  test.each(layouts.map((l) => [l.pods.join(', '), l] as const))('GIVEN the old layout of %s (the emptyDir itself, no prepared directory) THEN Ruby rejects it as world-writable', (_pods, layout) => {
    const run = runRuby(layout, false);
    expect(run.stderr).toContain(`world-writable: ${run.emptyDir}`);
    if (haveNamespaces) {
      // As in the pod: nothing else qualifies, and Ruby gives up.
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('could not find a temporary directory (ArgumentError)');
    } else {
      expect(run.stdout).not.toBe(run.emptyDir);
    }
  });
});
