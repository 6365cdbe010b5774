import { ConfigProblem } from '../core/errors';
import { LoadedInstance } from '../config/types';
import { RenderedObject } from '../validate/object-problem';
import { ContainerAt, containersOf, Json, podTemplates } from '../validate/objects';

/**
 * `mastodon.extraEnv` and `mastodon.secretEnv` entries that collide with a variable the render sets from typed settings.
 * Typed settings win (lib/model/env.ts leaves such an entry out of the ConfigMap, and a
 * container's own `env` overrides its `envFrom`), so a colliding entry would be silently ignored:
 * it is an error at its line. The set of rendered names is not a list kept by hand: it is read from
 * the rendered objects, so that a variable a later change renders is covered too.
 * - an entry is missing from, or differs in, the ConfigMaps the Mastodon containers load;
 * - or a container that loads such a ConfigMap sets the name itself (its `env` shadows the ConfigMap);
 * - or a container that carries the environment inline (an Argo CD hook, which runs before the
 *   ConfigMap exists) has the entry missing, changed or twice.
 */
/** A variable every Mastodon environment holds, which marks a container that carries it inline. */
const INLINE_MARKER = 'LOCAL_DOMAIN';

export function extraEnvCollisions(loaded: LoadedInstance, objects: readonly RenderedObject[]): ConfigProblem[] {
  const extraEnv = loaded.instance.mastodon.extraEnv ?? {};
  const secretEnv = loaded.instance.mastodon.secretEnv ?? {};
  if (Object.keys(extraEnv).length === 0 && Object.keys(secretEnv).length === 0) return [];
  const configMaps = new Map(objects.filter((o) => o.object.kind === 'ConfigMap').map((o) => [o.object.metadata.name, o]));
  const containers = podTemplates(objects).flatMap(containersOf);
  const loads = containers.map((c) => ({
    c,
    from: ((c.container.envFrom ?? []) as Json[]).map((e) => configMaps.get(e.configMapRef?.name)).filter((o): o is RenderedObject => o !== undefined),
  })).filter((l) => l.from.length > 0);
  const envConfigMaps = new Set(loads.flatMap((l) => l.from));
  // The hooks that cannot load the ConfigMap carry the whole environment, LOCAL_DOMAIN included.
  const inline = containers.filter((c) => !loads.some((l) => l.c === c) && ((c.container.env ?? []) as Json[]).some((e) => e.name === INLINE_MARKER));
  const problems: ConfigProblem[] = [];
  for (const [name, value] of Object.entries(extraEnv)) {
    const setBy = [
      ...[...envConfigMaps].filter((cm) => (cm.object.data as Json | undefined)?.[name] !== value).map((cm) => `${cm.object.kind}/${cm.object.metadata.name}`),
      ...loads.filter((l) => ((l.c.container.env ?? []) as Json[]).some((e) => e.name === name)).map((l) => containerName(l.c)),
      // Containers that inline the environment (Argo CD hooks) must carry the entry once, as written.
      ...inline.filter((c) => !isExactlyOnce((c.container.env ?? []) as Json[], name, value)).map(containerName),
    ];
    if (setBy.length === 0) continue;
    problems.push(loaded.sources.instance.problem(['mastodon', 'extraEnv', name], `${name} is set by the render from typed settings (in ${[...new Set(setBy)].slice(0, 3).join(', ')}${setBy.length > 3 ? ', …' : ''}), which win over extraEnv; allowed: the typed setting for it (README, "instance.yaml in brief"), or an extraEnv name the render does not set`, true));
  }
  // mastodon.secretEnv: each Mastodon container reads the name once, from its Secret, and no ConfigMap sets it too.
  for (const [name, ref] of Object.entries(secretEnv)) {
    const fromSecret = (e: Json) => e.name === name && e.valueFrom?.secretKeyRef?.name === ref.name && e.valueFrom?.secretKeyRef?.key === ref.key;
    const setBy = [
      ...[...envConfigMaps].filter((cm) => (cm.object.data as Json | undefined)?.[name] !== undefined).map((cm) => `${cm.object.kind}/${cm.object.metadata.name}`),
      ...[...loads.map((l) => l.c), ...inline].filter((c) => {
        const env = (c.container.env ?? []) as Json[];
        return env.some((e) => e.name === name && !fromSecret(e)) || env.filter((e) => e.name === name).length > 1;
      }).map(containerName),
    ];
    if (setBy.length === 0) continue;
    problems.push(loaded.sources.instance.problem(['mastodon', 'secretEnv', name], `${name} is set by the render from typed settings (in ${[...new Set(setBy)].slice(0, 3).join(', ')}${setBy.length > 3 ? ', …' : ''}); allowed: the typed setting for it (README, "instance.yaml in brief"), or a name the render does not set`, true));
  }
  return problems;
}

function containerName(c: ContainerAt): string {
  return `${c.template.at.object.kind}/${c.template.at.object.metadata.name} (container ${c.container.name})`;
}

function isExactlyOnce(env: readonly Json[], name: string, value: string): boolean {
  const entries = env.filter((e) => e.name === name);
  return entries.length === 1 && entries[0].value === value && entries[0].valueFrom === undefined;
}
