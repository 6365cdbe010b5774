import { k8s } from 'cdk8s-plus-28';
import { ContainerResources } from '../../sizing/resources';
import { ScratchDir } from './scratch';

/**
 * Ruby's temporary directory on a read-only root.
 *
 * Ruby's `Dir.tmpdir` takes the first of TMPDIR, TMP, TEMP, the system temp path and `.` that is a
 * writable directory and not world-writable unless sticky (ruby/tmpdir v0.3.1 lib/tmpdir.rb:25-45).
 * kubelet creates an emptyDir with mode 0777 (plus setgid with an fsGroup) and no sticky bit, so
 * Ruby rejects an emptyDir at /tmp, falls back to the read-only working directory and raises
 * "could not find a temporary directory": every Tempfile (Puma request bodies over 112 KiB, uploads,
 * media download and transcoding, user archives) fails. An init container therefore creates a
 * subdirectory of the emptyDir with mode 0700, owned by the pod's user, and TMPDIR points at it
 * (libvips and ffmpeg honour TMPDIR as well). The directory survives container restarts with the
 * emptyDir, and the init container runs again whenever the pod starts.
 * test/contracts/ruby-tmpdir.test.ts builds this layout and runs the real Ruby against it.
 */

/** The mode of Ruby's temp directory: private to the pod's user, hence never world-writable. */
export const RUBY_TMPDIR_MODE = '0700';
/** The subdirectory of the temp emptyDir that becomes TMPDIR. */
const RUBY_TMPDIR_NAME = 'ruby';
export const PREPARE_TMPDIR_CONTAINER = 'prepare-tmpdir';

/** `mkdir` alone: one syscall's worth of work, the smallest requests the scheduler counts. */
const PREPARE_RESOURCES: ContainerResources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '16Mi' } };

export interface RubyTmpdir {
  /** The TMPDIR every Ruby process of the pod gets. */
  readonly path: string;
  /** The emptyDir it lives on. */
  readonly volume: ScratchDir;
  /** The command of the init container that creates it (`mkdir -p -m 0700 <path>`). */
  readonly command: readonly string[];
  readonly resources: ContainerResources;
}

/** Ruby's temp directory inside the emptyDir `volume`. */
export function rubyTmpdir(volume: ScratchDir): RubyTmpdir {
  const path = `${volume.mountPath}/${RUBY_TMPDIR_NAME}`;
  return { path, volume, command: ['mkdir', '-p', '-m', RUBY_TMPDIR_MODE, path], resources: PREPARE_RESOURCES };
}

/** The TMPDIR variable for `tmpdir`. */
export function tmpdirEnv(tmpdir: RubyTmpdir): k8s.EnvVar {
  return { name: 'TMPDIR', value: tmpdir.path };
}
