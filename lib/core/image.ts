/**
 * Container image references: the one image a container runs, and the Secrets its pod pulls it
 * with. Reference grammar after the distribution project's reference package (docker/distribution
 * reference/reference.go): `[host[:port]/]path[:tag][@digest]`; a first path component without a
 * `.` or `:` (and not `localhost`) is a Docker Hub path, and a one-component Docker Hub path is
 * under `library/`.
 */

/** An image and the `imagePullSecrets` of the pods that run it. */
export interface ResolvedImage {
  readonly reference: string;
  readonly pullSecrets: readonly string[];
}

/** The Secrets a pod running these images pulls them with, each once, in order. */
export function pullSecretNames(...images: readonly ResolvedImage[]): string[] {
  return [...new Set(images.flatMap((image) => image.pullSecrets))];
}

/** A pod's `imagePullSecrets` for these images, or none. */
export function pullSecrets(...images: readonly ResolvedImage[]): { name: string }[] | undefined {
  const names = pullSecretNames(...images);
  return names.length > 0 ? names.map((name) => ({ name })) : undefined;
}

export const DOCKER_HUB = 'docker.io';

export interface ImageParts {
  /** The registry host, `docker.io` when the reference names none. */
  readonly registry: string;
  /** Whether the reference names its registry. */
  readonly explicitRegistry: boolean;
  /** The path in the registry (`library/postgres` for `postgres`). */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImage(reference: string): ImageParts {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const name = at >= 0 ? reference.slice(0, at) : reference;
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const explicitRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const rest = explicitRegistry ? name.slice(slash + 1) : name;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const repo = tag === undefined ? rest : rest.slice(0, colon);
  const registry = explicitRegistry ? first : DOCKER_HUB;
  const path = registry === DOCKER_HUB && !repo.includes('/') ? `library/${repo}` : repo;
  return { registry, explicitRegistry, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The reference without its tag and digest, as written (`postgres`, `ghcr.io/mastodon/mastodon`). */
export function repositoryOf(reference: string): string {
  const name = reference.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

/**
 * The reference pulled through a mirror: `mirrors` maps a registry host to the prefix that serves
 * it (`ghcr.io: registry.example.com/ghcr`). An image of another registry is returned as written.
 */
export function mirrored(reference: string, mirrors: Readonly<Record<string, string>>): string {
  const parts = parseImage(reference);
  const mirror = mirrors[parts.registry];
  if (mirror === undefined) return reference;
  return `${mirror.replace(/\/+$/, '')}/${parts.path}${parts.tag !== undefined ? `:${parts.tag}` : ''}${parts.digest !== undefined ? `@${parts.digest}` : ''}`;
}
