import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { postgresBinDir } from '../programs';

/** What one run of a pod did: the first container that failed, and each container's output. */
export interface PodRun {
  readonly failed?: string;
  readonly logs: Readonly<Record<string, string>>;
  /** The environment a container ran with (to run rclone or psql against the same remotes). */
  env(container: string): NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Values for the Secret-backed variables: the crypt passwords obscured as `rclone obscure` prints them, the rest unused here. */
function secretValues(): Record<string, string> {
  const obscure = (p: string) => spawnSync('rclone', ['obscure', p], { encoding: 'utf8' }).stdout.trim();
  return { RCLONE_CONFIG_VAULT_PASSWORD: obscure('test-password'), RCLONE_CONFIG_VAULT_PASSWORD2: obscure('test-salt') };
}

/**
 * Runs the `/bin/sh -ec` containers of a rendered pod on this machine, init containers first,
 * stopping at the first failure, like the kubelet with `restartPolicy: Never`: each volume mount
 * becomes a fresh folder (in scripts and env values alike), the bucket an rclone `local` remote
 * under `bucketRoot`, and Debian's programs stand in for the images' (PostgreSQL's server programs
 * first in PATH, as in the postgres image). Run as the `postgres` user when this process is root,
 * as the pods run as a non-root user.
 */
export function podRunner(dir: string, base: Readonly<Record<string, string>> = {}): { run(pod: any, overrides?: Readonly<Record<string, string>>): PodRun; bucketRoot: string } {
  const bucketRoot = path.join(dir, 'bucket');
  fs.mkdirSync(bucketRoot, { recursive: true });
  const secrets = secretValues();
  const asRoot = process.getuid?.() === 0;
  let runs = 0;
  const run = (pod: any, overrides: Readonly<Record<string, string>> = {}): PodRun => {
    const podDir = path.join(dir, `pod-${runs++}`);
    const volumes = new Map<string, string>((pod.volumes ?? []).map((v: any) => [v.name, path.join(podDir, v.name)]));
    fs.mkdirSync(podDir, { recursive: true });
    for (const d of volumes.values()) fs.mkdirSync(d, { recursive: true });
    // This pod's folders and the bucket (the test may have put files there); earlier pods' folders,
    // never used again, are left as they are (each holds a whole PostgreSQL data folder).
    if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', podDir, bucketRoot]);
    const envs = new Map<string, NodeJS.ProcessEnv>();
    const logs: Record<string, string> = {};
    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
      const mounts: [string, string][] = (c.volumeMounts ?? []).map((m: any) => [m.mountPath, volumes.get(m.name)!]);
      // One pass, whole path segments only: a mapped folder may itself lie under /tmp.
      const pattern = new RegExp(`(?<![\\w/.-])(${mounts.map(([from]) => from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?=[/\\s"':]|$)`, 'gm');
      const local = (text: string) => (mounts.length === 0 ? text : text.replace(pattern, (m) => mounts.find(([from]) => from === m)![1]));
      const env: NodeJS.ProcessEnv = {
        PATH: `${postgresBinDir()}:${process.env.PATH}`, LANG: 'C.UTF-8',
        ...Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.valueFrom ? (secrets[e.name] ?? 'unused') : local(String(e.value))])),
        RCLONE_CONFIG_STORE_TYPE: 'local',
        ...base, ...overrides,
      };
      envs.set(c.name, env);
      expect(c.command.slice(0, 2)).toEqual(['/bin/sh', '-ec']);
      const script = local(c.command[2]);
      const argv = asRoot ? ['setpriv', '--reuid=postgres', '--regid=postgres', '--clear-groups', '/bin/sh', '-ec', script] : ['/bin/sh', '-ec', script];
      const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env, cwd: bucketRoot });
      logs[c.name] = `${r.stdout}${r.stderr}`;
      if (r.status !== 0) return { failed: c.name, logs, env: (n) => envs.get(n)!, cwd: bucketRoot };
    }
    return { logs, env: (n) => envs.get(n)!, cwd: bucketRoot };
  };
  return { run, bucketRoot };
}
