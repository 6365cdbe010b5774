import * as path from 'node:path';
import { ObjectCheck, objectProblem, ObjectProblem, perObject } from './object-problem';
import { containersOf, ContainerAt, Json, podTemplates } from './objects';

/**
 * A container of the Mastodon Ruby image with a read-only root needs a TMPDIR that Ruby accepts.
 * Ruby's `Dir.tmpdir` skips a candidate that is not writable or that is world-writable without the
 * sticky bit (ruby/tmpdir v0.3.1 lib/tmpdir.rb:25-45); kubelet creates an emptyDir with mode 0777
 * and no sticky bit, and the working directory is on the read-only root, so every Tempfile fails
 * unless TMPDIR names a directory on a writable volume that an init container created, as the same
 * user, with an explicit mode that is not world-writable (or is sticky). The streaming image runs Node, which does not check.
 */

/** Mastodon's Ruby image (not `mastodon-streaming`), by tag or digest. */
const MASTODON_RUBY_IMAGE = /^ghcr\.io\/mastodon\/mastodon[:@]/;
/** Volume types a pod may write to. */
const WRITABLE_VOLUMES = ['emptyDir', 'persistentVolumeClaim', 'ephemeral'];
const OTHERS_WRITE = 0o002;
const STICKY = 0o1000;

/** A directory a command creates, with the mode it gives it. */
export interface CreatedDirectory {
  readonly path: string;
  /** @default undefined: the mode depends on the umask */
  readonly mode?: number;
}

/**
 * The directories an init command creates with `mkdir` or `install -d`, as an argv or as
 * `sh -c SCRIPT` (split on blanks and `&&`, `;`, `|`): enough for the commands we render.
 */
export function createdDirectories(command: readonly string[]): CreatedDirectory[] {
  const words = command.length >= 3 && /(^|\/)(ba|da)?sh$/.test(command[0]) && command[1] === '-c'
    ? command[2].split(/\s+|&&|;|\|/).filter(Boolean)
    : [...command];
  const out: CreatedDirectory[] = [];
  words.forEach((word, i) => {
    const tool = path.basename(word);
    if (tool !== 'mkdir' && !(tool === 'install' && words.slice(i + 1).includes('-d'))) return;
    let mode: number | undefined;
    for (let j = i + 1; j < words.length && !['mkdir', 'install', 'chmod', 'exec'].includes(path.basename(words[j])); j++) {
      const w = words[j];
      if (w === '-m' || w === '--mode') mode = parseMode(words[++j]);
      else if (w.startsWith('--mode=')) mode = parseMode(w.slice('--mode='.length));
      else if (!w.startsWith('-')) out.push({ path: normalize(w), mode });
    }
  });
  return out;
}

function normalize(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** Ruby accepts a directory others cannot write to, or a sticky one (like /tmp). */
function rubyAcceptsMode(mode: number | undefined): boolean {
  return mode !== undefined && ((mode & OTHERS_WRITE) === 0 || (mode & STICKY) !== 0);
}

function parseMode(text: string | undefined): number | undefined {
  return text && /^[0-7]{3,4}$/.test(text) ? parseInt(text, 8) : undefined;
}

/** The effective UID of a container (its own, or the pod's). */
function uidOf(c: ContainerAt): unknown {
  return c.container.securityContext?.runAsUser ?? c.template.spec.securityContext?.runAsUser;
}

/** Whether `dir` is `base` or below it; the relative part. */
function below(dir: string, base: string): string | undefined {
  const rel = path.posix.relative(base, dir);
  return rel === '' || (!rel.startsWith('..') && !path.posix.isAbsolute(rel)) ? rel : undefined;
}

export const rubyTmpdir: ObjectCheck = perObject((objects) => podTemplates(objects).flatMap((t) => {
  const volumes = new Map(((t.spec.volumes ?? []) as Json[]).map((v) => [v.name as string, v]));
  const inits = containersOf(t).filter((c) => c.path.includes('initContainers'));
  return containersOf(t).filter((c) => c.path.includes('containers')).flatMap((c): ObjectProblem[] => {
    if (!MASTODON_RUBY_IMAGE.test(String(c.container.image)) || c.container.securityContext?.readOnlyRootFilesystem !== true) return [];
    const fail = (where: (string | number)[], message: string) => [objectProblem(t.at, [...c.path, ...where], message)];
    const envList = (c.container.env ?? []) as Json[];
    const index = envList.findIndex((e) => e.name === 'TMPDIR');
    const tmpdir = envList[index]?.value;
    if (typeof tmpdir !== 'string' || !path.posix.isAbsolute(tmpdir)) {
      return fail(['env'], 'runs the Mastodon Ruby image on a read-only root without a literal absolute TMPDIR: Ruby\'s Dir.tmpdir rejects an emptyDir (mode 0777, no sticky bit) and the read-only working directory, so every Tempfile (uploads, media, large request bodies) fails; allowed: TMPDIR on a directory that an init container creates with mode 0700 on an emptyDir (e.g. mkdir -p -m 0700 /tmp/ruby)');
    }
    const dir = normalize(tmpdir);
    const at = ['env', index, 'value'];
    const mount = ((c.container.volumeMounts ?? []) as Json[])
      .filter((m) => m.readOnly !== true && below(dir, m.mountPath) !== undefined)
      .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    const volume = mount && volumes.get(mount.name);
    if (!volume || !WRITABLE_VOLUMES.some((kind) => volume[kind] !== undefined)) {
      return fail(at, `"${tmpdir}" is not on a writable volume of this container (the root filesystem is read-only); allowed: a directory on an emptyDir volume mount`);
    }
    const rel = below(dir, mount.mountPath) as string;
    if (rel === '' && volume.emptyDir !== undefined) {
      return fail(at, `"${tmpdir}" is the emptyDir "${mount.name}" itself, which kubelet creates world-writable without the sticky bit, and Ruby's Dir.tmpdir rejects it; allowed: a subdirectory that an init container creates with mode 0700`);
    }
    const prepared = inits.some((init) => uidOf(init) === uidOf(c) && ((init.container.volumeMounts ?? []) as Json[])
      .filter((m) => m.name === mount.name && !m.subPath)
      .some((m) => createdDirectories((init.container.command ?? []) as string[])
        .some((d) => d.path === normalize(path.posix.join(m.mountPath, rel)) && rubyAcceptsMode(d.mode))));
    if (!prepared && rel !== '') {
      return fail(at, `"${tmpdir}" is not created by an init container that mounts volume "${mount.name}", runs as the same user and gives it a mode Ruby accepts (not world-writable, or sticky); allowed: an init container running e.g. mkdir -p -m 0700 ${tmpdir}`);
    }
    return [];
  });
}));
