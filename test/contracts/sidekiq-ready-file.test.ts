import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { objectAt, renderExample, tempDir } from '../helpers';

/**
 * CONTRACT: Mastodon's Sidekiq ready file (glitch-soc/mastodon v4.3.0 and v4.6.5, and
 * mjankowski/mastodon cebb47f7f7 = the 4.7 branch point, config/initializers/sidekiq.rb:11-24):
 * with MASTODON_SIDEKIQ_READY_FILENAME set (a basename, else it raises, :13), Sidekiq touches
 * `Rails.root.join('tmp', name)` on :startup (:17-19) and removes it on :shutdown (:21-23).
 * Rails.root is the image's WORKDIR /opt/mastodon (Dockerfile:93). A crash or an OOM kill runs no
 * :shutdown, and the file lives on an emptyDir that outlives the container; so the rendered
 * command must remove it before Sidekiq starts, and exec so that Sidekiq stays PID 1 (the preStop
 * hook signals PID 1).
 *
 * The test runs the rendered command with /bin/sh on this machine, against a stale ready file, with
 * a stand-in `bundle` that reports its PID, whether the file is still there and its arguments.
 */

const RAILS_ROOT = '/opt/mastodon';
const tree = renderExample();
const pools = ['sidekiq-default', 'sidekiq-scheduler'].map((name) => objectAt(tree, `example/mastodon/Deployment.${name}.yaml`));

describe.each(pools.map((d) => [d.metadata.name, d] as const))('CONTRACT mastodon config/initializers/sidekiq.rb:11-24 (ready file): %s', (_name, deployment) => {
  const spec = deployment.spec.template.spec;
  const container = spec.containers[0];
  const readyName = container.env.find((e: any) => e.name === 'MASTODON_SIDEKIQ_READY_FILENAME').value;
  const probed: string = container.readinessProbe.exec.command.at(-1);

  test('THEN the probe reads the file Mastodon touches (Rails.root/tmp/<basename>), on a writable emptyDir', () => {
    expect(path.basename(readyName)).toBe(readyName);
    expect(container.readinessProbe.exec.command).toEqual(['cat', path.posix.join(RAILS_ROOT, 'tmp', readyName)]);
    const mount = container.volumeMounts.find((m: any) => m.mountPath === path.posix.dirname(probed));
    expect(spec.volumes.find((v: any) => v.name === mount.name).emptyDir).toBeDefined();
  });

  test('GIVEN a ready file left by a crashed container WHEN the container starts THEN it is gone before Sidekiq runs, and Sidekiq replaces the shell (same PID) with the rendered args', () => {
    const scratch = tempDir('sidekiq-ready-');
    const railsTmp = path.join(scratch, 'rails-tmp');
    const bin = path.join(scratch, 'bin');
    fs.mkdirSync(railsTmp);
    fs.mkdirSync(bin);
    const stale = path.join(railsTmp, readyName);
    fs.writeFileSync(stale, '');
    fs.writeFileSync(path.join(bin, 'bundle'), `#!/bin/sh\necho "pid=$$"\nif [ -e '${stale}' ]; then echo ready-file=present; else echo ready-file=absent; fi\necho "args=$*"\n`, { mode: 0o755 });
    // The rendered command with the emptyDir's mount path mapped into the scratch directory.
    const mountPath = path.posix.dirname(probed);
    const command: string[] = [...container.command, ...container.args].map((a: string) => a.split(mountPath).join(railsTmp));
    // `exec` keeps the PID: the wrapper prints its own, then becomes the rendered command.
    const r = spawnSync('/bin/sh', ['-c', 'echo "pid=$$"; exec "$@"', 'wrapper', ...command], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(r.stderr).toBe('');
    const [wrapperPid, bundlePid, ready, args] = r.stdout.trim().split('\n');
    expect(bundlePid).toBe(wrapperPid);
    expect(ready).toBe('ready-file=absent');
    expect(args).toBe(`args=exec sidekiq ${container.args.join(' ')}`);
  });
});
