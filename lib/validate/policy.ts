import { secretSettingOf } from '../catalog/secret-settings';
import { isSealedValue, SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND } from '../catalog/sealed-secrets';
import { findCredential } from '../core/credentials';
import { show } from '../core/show';
import { ValuePath } from '../core/source';
import { parseCpuMillis, parseMemoryMiB } from '../core/quantity';
import { ObjectCheck, objectProblem, ObjectProblem, perObject } from './object-problem';
import { containersOf, get, groupOf, Json, podTemplates } from './objects';

/**
 * Policy checks: the project's promises about what it renders. Every pod meets the "restricted"
 * Pod Security Standard with a read-only root and no service account token; no secret value is
 * ever written; images are pinned; every container requests CPU and memory.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */

/** The only capability the restricted profile lets a container add. */
const ALLOWED_ADDED_CAPABILITIES = ['NET_BIND_SERVICE'];
const ALLOWED_SECCOMP = ['RuntimeDefault', 'Localhost'];

/** Every pod spec meets the restricted Pod Security Standard, plus a read-only root and no token. */
export const podSecurity: ObjectCheck = (objects) => podTemplates(objects).flatMap((t) => {
  const at = t.at;
  const spec = [...t.path, 'spec'];
  const pod = (t.spec.securityContext ?? {}) as Json;
  const problems: ObjectProblem[] = [];
  const add = (path: ValuePath, message: string) => problems.push(objectProblem(at, path, message));
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (t.spec[host] === true) add([...spec, host], 'must not be true: pods share nothing with the node');
  }
  ((t.spec.volumes ?? []) as Json[]).forEach((v, i) => {
    if (v.hostPath) add([...spec, 'volumes', i, 'hostPath'], 'is not allowed: no host directories (use an emptyDir or a PersistentVolumeClaim)');
  });
  if (t.spec.automountServiceAccountToken !== false) add([...spec, 'automountServiceAccountToken'], 'must be false: Mastodon pods never talk to the Kubernetes API');
  if (pod.runAsUser === 0) add([...spec, 'securityContext', 'runAsUser'], 'must not be 0 (root)');
  for (const c of containersOf(t)) {
    const sc = (c.container.securityContext ?? {}) as Json;
    const field = (name: string) => [...c.path, 'securityContext', name];
    if (sc.allowPrivilegeEscalation !== false) add(field('allowPrivilegeEscalation'), 'must be false');
    if (sc.privileged === true) add(field('privileged'), 'must not be true');
    if (sc.readOnlyRootFilesystem !== true) add(field('readOnlyRootFilesystem'), 'must be true: write only to emptyDir volumes');
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) add(field('runAsNonRoot'), 'must be true (on the container or the pod)');
    if (sc.runAsUser === 0) add(field('runAsUser'), 'must not be 0 (root)');
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (!ALLOWED_SECCOMP.includes(seccomp)) add(field('seccompProfile'), `type must be RuntimeDefault or Localhost (on the container or the pod), not ${seccomp ?? 'unset'}`);
    const caps = (sc.capabilities ?? {}) as Json;
    if (!(caps.drop ?? []).includes('ALL')) add(field('capabilities'), 'must drop ALL');
    const added = ((caps.add ?? []) as string[]).filter((cap) => !ALLOWED_ADDED_CAPABILITIES.includes(cap));
    if (added.length > 0) add(field('capabilities'), `must not add ${added.join(', ')} (only NET_BIND_SERVICE is allowed)`);
    ((c.container.ports ?? []) as Json[]).forEach((p, i) => {
      if (p.hostPort !== undefined) add([...c.path, 'ports', i, 'hostPort'], 'is not allowed: no host ports');
    });
  }
  return problems;
});

/** A value made only of `$(VAR)` references (Kubernetes interpolates earlier env vars). */
const ONLY_REFERENCES = /^(\$\([A-Za-z_][A-Za-z0-9_]*\))+$/;

function literalSecret(name: string, value: unknown): boolean {
  const setting = secretSettingOf(name);
  // A URL setting may be literal with the password as $(VAR): the credential detector below checks it.
  return setting !== undefined && !setting.url && typeof value === 'string' && value !== '' && !ONLY_REFERENCES.test(value);
}

/**
 * Calls `visit` with every string in `value`, its key, and the walk's path stack, which `visit`
 * copies if it keeps it (only what is reported): every synth runs this over every object, a
 * thousand instances' worth for a hosting provider, and a path or closure per string was garbage.
 */
function eachString(value: unknown, visit: (s: string, key: string | number | undefined, path: ValuePath) => void, path: (string | number)[] = []): void {
  if (typeof value === 'string') {
    visit(value, path[path.length - 1], path);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) { path.push(i); eachString(value[i], visit, path); path.pop(); }
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) { path.push(k); eachString((value as Record<string, unknown>)[k], visit, path); path.pop(); }
  }
}

/**
 * No secret value anywhere: no Secret with data, no literal env value or ConfigMap entry whose
 * name is a secret setting (lib/catalog/secret-settings.ts, an explicit list), no credential in any string (lib/core/credentials.ts). Secrets are referenced (secretKeyRef) and
 * interpolated into URLs as `$(VAR)`.
 */
export const noSecretValues: ObjectCheck = (objects) => objects.flatMap((o) => {
  const problems: ObjectProblem[] = [];
  const add = (path: ValuePath, message: string) => problems.push(objectProblem(o, path, message));
  if (o.object.kind === 'Secret' && groupOf(o.object.apiVersion) === '') {
    for (const field of ['data', 'stringData']) {
      if (o.object[field] && Object.keys(o.object[field] as object).length > 0) add([field], 'holds secret values; create the Secret out of band (see SECRETS.md) and reference it by name and key');
    }
  }
  if (o.object.kind === 'ConfigMap') {
    for (const [key, value] of Object.entries((o.object.data ?? {}) as Record<string, unknown>)) {
      if (literalSecret(key, value)) add(['data', key], `${key} holds a secret (lib/catalog/secret-settings.ts) in a ConfigMap; reference a Secret key instead`);
    }
  }
  for (const c of podTemplates([o]).flatMap(containersOf)) {
    ((c.container.env ?? []) as Json[]).forEach((e, i) => {
      if (literalSecret(e.name, e.value)) add([...c.path, 'env', i, 'value'], `${e.name} has a literal value; use valueFrom.secretKeyRef (or $(VAR) of one)`);
    });
  }
  // Whatever its name: a known token format, a password or key in a URL, a random-looking key.
  // A SealedSecret's encryptedData is random by design and readable only by the cluster's controller.
  const sealed = o.object.kind === SEALED_SECRET_KIND && o.object.apiVersion === SEALED_SECRET_API_VERSION;
  eachString(o.object, (value, _key, path) => {
    const match = findCredential(value);
    if (match && sealed && isSealedValue(value) && isEncryptedDataPath(path)) return;
    if (match) add([...path], `holds what looks like ${match.kind} (${match.masked}); reference a Secret key instead, and in a URL interpolate the password as $(VAR) from a secretKeyRef env var`);
  });
  return problems;
});

function isEncryptedDataPath(path: ValuePath): boolean {
  return path.length === 3 && path[0] === 'spec' && path[1] === 'encryptedData';
}

/** `repo:tag` or `repo@sha256:…`; a tag of `latest` or none is not pinned. */
export function imagePinProblem(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return `${show(image)} has no tag (Kubernetes pulls latest); pin a release tag or digest`;
  if (lastSegment.slice(colon + 1) === 'latest') return `${show(image)} is not pinned: latest moves; pin a release tag or digest`;
  return undefined;
}

/** Every image is pinned (a tag other than latest, or a digest), also in custom resources; containers pull IfNotPresent. */
export const pinnedImages: ObjectCheck = (objects) => objects.flatMap((o) => {
  const problems: ObjectProblem[] = [];
  eachString(o.object, (value, key, path) => {
    const message = key === 'image' ? imagePinProblem(value) : undefined;
    if (message) problems.push(objectProblem(o, [...path], message));
  });
  for (const c of podTemplates([o]).flatMap(containersOf)) {
    if (c.container.imagePullPolicy !== 'IfNotPresent') problems.push(objectProblem(o, [...c.path, 'imagePullPolicy'], `must be IfNotPresent (a pinned image never changes), not ${c.container.imagePullPolicy ?? 'unset'}`));
  }
  return problems;
});

/** Every container requests CPU and memory, so the scheduler and autoscalers can count it. */
export const resourceRequests: ObjectCheck = (objects) => podTemplates(objects).flatMap(containersOf).flatMap((c) =>
  ['cpu', 'memory'].flatMap((r) => (get(c.container, ['resources', 'requests', r]) === undefined
    ? [objectProblem(c.template.at, [...c.path, 'resources', 'requests', r], `is missing: every container requests ${r}`)]
    : [])));

/** CPU millicores or MiB of a quantity in the units mastodon-cdk8s writes; undefined for others (not judged). */
const QUANTITY: Readonly<Record<string, (q: string) => number>> = {
  cpu: (q) => (/^\d+(\.\d+)?m?$/.test(q) ? parseCpuMillis(q) : NaN),
  memory: (q) => (/^\d+(\.\d+)?(Ki|Mi|Gi|Ti)$/.test(q) ? parseMemoryMiB(q) : NaN),
};

/** No request above its limit: the API server rejects such a pod (synth catches an override that does it). */
export const requestsWithinLimits: ObjectCheck = (objects) => podTemplates(objects).flatMap(containersOf).flatMap((c) =>
  Object.entries(QUANTITY).flatMap(([r, parse]) => {
    const request = get(c.container, ['resources', 'requests', r]);
    const limit = get(c.container, ['resources', 'limits', r]);
    if (request === undefined || limit === undefined || !(parse(String(request)) > parse(String(limit)))) return [];
    return [objectProblem(c.template.at, [...c.path, 'resources', 'requests', r], `${request} is above the limit ${limit}; a request must not exceed its limit`)];
  }));

/** Each judges one object (or pod template) at a time. */
export const POLICY_CHECKS: readonly ObjectCheck[] = [podSecurity, noSecretValues, pinnedImages, resourceRequests, requestsWithinLimits].map(perObject);
