import { k8s } from 'cdk8s-plus-28';
import { NodePlacement, placementFields } from '../../core/placement';
import { pullSecrets, ResolvedImage } from '../../core/image';
import { ContainerResources } from '../../sizing/resources';
import { MountedFiles, NO_FILES } from '../../core/mounted-files';
import { containerSecurityContext, podSecurityContext } from '../common/pod-security';
import { BootsnapCache, bootsnapCacheEnv, SEED_BOOTSNAP_CONTAINER } from './bootsnap-cache';
import { PREPARE_TMPDIR_CONTAINER, RubyTmpdir, tmpdirEnv } from './ruby-tmpdir';
import { ScratchDir } from './scratch';


/** The one `mastodon` container of a Mastodon pod (web, streaming, Sidekiq or a Rails task). */
export interface MastodonContainerProps {
  /** The image, and the Secrets the pod pulls it with. */
  readonly image: ResolvedImage;
  readonly command: readonly string[];
  /** @default none */
  readonly args?: readonly string[];
  /** @default none */
  readonly envFrom?: readonly k8s.EnvFromSource[];
  /** In order: later entries may interpolate earlier ones with `$(VAR)`. */
  readonly env: readonly k8s.EnvVar[];
  readonly resources: ContainerResources;
  /** @default no port */
  readonly port?: { readonly name: string; readonly containerPort: number };
  /** @default none */
  readonly startupProbe?: k8s.Probe;
  /** @default none */
  readonly readinessProbe?: k8s.Probe;
  /** @default none */
  readonly livenessProbe?: k8s.Probe;
  /** @default none */
  readonly lifecycle?: k8s.Lifecycle;
  readonly scratchDirs: readonly ScratchDir[];
  /**
   * Ruby's temp directory (one of `scratchDirs` holds it), created by an init container and set as
   * TMPDIR: every pod that runs the Mastodon Ruby image needs one (see ./ruby-tmpdir.ts).
   * @default none (streaming runs Node, which does not check the directory's mode)
   */
  readonly rubyTmpdir?: RubyTmpdir;
  /**
   * A copy of the image's bootsnap cache, for a pod that hides `/opt/mastodon/tmp` under an emptyDir
   * (see ./bootsnap-cache.ts).
   * @default none (the image's cache is visible)
   */
  readonly bootsnapCache?: BootsnapCache;
  /** Read-only files from ConfigMaps and Secrets (CA bundles). @default none */
  readonly files?: MountedFiles;
}

/**
 * A second container of the same image beside `mastodon` (the web pods' metrics collector): the
 * same security context, scratch directories and Ruby TMPDIR.
 */
export interface SidecarContainer {
  readonly name: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly port: { readonly name: string; readonly containerPort: number };
  readonly resources: ContainerResources;
  /** Liveness only: a broken collector must not take the web pod out of its Service. */
  readonly livenessProbe: k8s.Probe;
}

/** Kubernetes' own default (pod spec `terminationGracePeriodSeconds`), written out. */
const KUBERNETES_GRACE_PERIOD_SECONDS = 30;

export interface MastodonPodSpecProps extends MastodonContainerProps {
  /** @default none */
  readonly sidecars?: readonly SidecarContainer[];
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** @default 'Always' (Deployments); Jobs use 'Never' or 'OnFailure' */
  readonly restartPolicy?: 'Always' | 'Never' | 'OnFailure';
  /** @default none */
  readonly topologySpreadConstraints?: readonly k8s.TopologySpreadConstraint[];
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
}

/**
 * The pod spec every Mastodon pod shares: a single `mastodon` container running as UID/GID 991
 * under the restricted Pod Security Standard, a read-only root with emptyDir scratch space (and,
 * for Ruby, a private TMPDIR prepared by an init container), no service account token and no
 * service-link environment.
 */
export function mastodonPodSpec(props: MastodonPodSpecProps): k8s.PodSpec {
  const scratchMounts = props.scratchDirs.map((d) => ({ name: d.name, mountPath: d.mountPath }));
  const tmpdir = props.rubyTmpdir;
  const bootsnap = props.bootsnapCache;
  const files = props.files ?? NO_FILES;
  const initContainer = (name: string, command: readonly string[], resources: ContainerResources, volume: ScratchDir): k8s.Container => ({
    name,
    image: props.image.reference,
    imagePullPolicy: 'IfNotPresent',
    command: [...command],
    resources: { requests: quantities(resources.requests), limits: quantities(resources.limits) },
    securityContext: containerSecurityContext(),
    volumeMounts: [{ name: volume.name, mountPath: volume.mountPath }],
  });
  const initContainers = [
    ...(tmpdir ? [initContainer(PREPARE_TMPDIR_CONTAINER, tmpdir.command, tmpdir.resources, tmpdir.volume)] : []),
    ...(bootsnap ? [initContainer(SEED_BOOTSNAP_CONTAINER, bootsnap.command, bootsnap.resources, bootsnap.volume)] : []),
  ];
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    imagePullSecrets: pullSecrets(props.image),
    restartPolicy: props.restartPolicy,
    securityContext: podSecurityContext(),
    terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? KUBERNETES_GRACE_PERIOD_SECONDS,
    topologySpreadConstraints: props.topologySpreadConstraints ? [...props.topologySpreadConstraints] : undefined,
    ...(props.placement ? placementFields(props.placement) as Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations' | 'affinity'> : {}),
    initContainers: initContainers.length > 0 ? initContainers : undefined,
    containers: [{
      name: 'mastodon',
      image: props.image.reference,
      imagePullPolicy: 'IfNotPresent',
      command: [...props.command],
      args: props.args ? [...props.args] : undefined,
      envFrom: props.envFrom ? [...props.envFrom] : undefined,
      env: [...props.env, ...(tmpdir ? [tmpdirEnv(tmpdir)] : []), ...(bootsnap ? [bootsnapCacheEnv(bootsnap)] : [])],
      ports: props.port ? [{ name: props.port.name, containerPort: props.port.containerPort, protocol: 'TCP' }] : undefined,
      resources: {
        requests: quantities(props.resources.requests),
        limits: quantities(props.resources.limits),
      },
      startupProbe: props.startupProbe,
      readinessProbe: props.readinessProbe,
      livenessProbe: props.livenessProbe,
      lifecycle: props.lifecycle,
      securityContext: containerSecurityContext(),
      volumeMounts: [...scratchMounts, ...files.mounts],
    }, ...(props.sidecars ?? []).map((c): k8s.Container => ({
      name: c.name,
      image: props.image.reference,
      imagePullPolicy: 'IfNotPresent',
      command: [...c.command],
      args: [...c.args],
      env: tmpdir ? [tmpdirEnv(tmpdir)] : undefined,
      ports: [{ name: c.port.name, containerPort: c.port.containerPort, protocol: 'TCP' }],
      resources: { requests: quantities(c.resources.requests), limits: quantities(c.resources.limits) },
      livenessProbe: c.livenessProbe,
      securityContext: containerSecurityContext(),
      volumeMounts: scratchMounts,
    }))],
    volumes: [
      ...props.scratchDirs.map((d) => ({
        name: d.name,
        emptyDir: d.sizeLimit ? { sizeLimit: k8s.Quantity.fromString(d.sizeLimit) } : {},
      })),
      ...files.volumes,
    ],
  };
}

function quantities(q: { readonly cpu?: string; readonly memory: string }): Record<string, k8s.Quantity> {
  const out: Record<string, k8s.Quantity> = {};
  if (q.cpu) out.cpu = k8s.Quantity.fromString(q.cpu);
  out.memory = k8s.Quantity.fromString(q.memory);
  return out;
}
