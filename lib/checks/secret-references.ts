import { POD_TEMPLATE_PATHS } from '../catalog/pod-templates';
import { ValuePath } from '../core/source';
import { ResolvedSecrets } from '../model/secrets';

/** A rendered object, as the render holds it (lib/validate/object-problem.ts RenderedObject). */
export interface RenderedInput {
  readonly file: string;
  readonly object: { readonly kind: string; readonly metadata: { readonly name: string; readonly namespace?: string }; readonly [field: string]: unknown };
}

/** A Secret read by a rendered object: one key, or the whole Secret (`envFrom`, a volume without items). */
export interface SecretReference {
  readonly at: RenderedInput;
  readonly path: ValuePath;
  readonly namespace: string;
  readonly name: string;
  /** @default the whole Secret */
  readonly key?: string;
}

/** A reference nothing produces, and what to do about it. */
export interface UnproducedReference extends SecretReference {
  readonly message: string;
}

type Json = Record<string, any>;

function get(value: unknown, path: ValuePath): any {
  let v: any = value;
  for (const segment of path) v = v === null || typeof v !== 'object' ? undefined : v[segment];
  return v;
}

/**
 * Every Secret the rendered objects read and need (references marked `optional: true` may be
 * missing): pods' env, envFrom and volumes, a Dragonfly's password (the operator passes it to the
 * pods as DFLY_requirepass) and KEDA's TriggerAuthentication.
 */
export function secretReferences(objects: readonly RenderedInput[], namespace: string): SecretReference[] {
  return objects.flatMap((at): SecretReference[] => {
    const ns = at.object.metadata.namespace ?? namespace;
    const ref = (path: ValuePath, name: string, key?: string): SecretReference => ({ at, path, namespace: ns, name, ...(key !== undefined ? { key } : {}) });
    if (at.object.kind === 'Dragonfly') {
      const p = get(at.object, ['spec', 'authentication', 'passwordFromSecret']);
      return p ? [ref(['spec', 'authentication', 'passwordFromSecret'], p.name, p.key)] : [];
    }
    if (at.object.kind === 'TriggerAuthentication') {
      return ((get(at.object, ['spec', 'secretTargetRef']) ?? []) as Json[]).map((t, i) => ref(['spec', 'secretTargetRef', i], t.name, t.key));
    }
    const templatePath = POD_TEMPLATE_PATHS[at.object.kind];
    const spec = templatePath && get(at.object, [...templatePath, 'spec']);
    if (!spec) return [];
    const specPath = [...templatePath, 'spec'];
    const refs: SecretReference[] = [];
    for (const list of ['initContainers', 'containers'] as const) {
      ((spec[list] ?? []) as Json[]).forEach((c, ci) => {
        ((c.env ?? []) as Json[]).forEach((e, ei) => {
          const s = e.valueFrom?.secretKeyRef;
          if (s && s.optional !== true) refs.push(ref([...specPath, list, ci, 'env', ei, 'valueFrom', 'secretKeyRef'], s.name, s.key));
        });
        ((c.envFrom ?? []) as Json[]).forEach((e, ei) => {
          if (e.secretRef && e.secretRef.optional !== true) refs.push(ref([...specPath, list, ci, 'envFrom', ei, 'secretRef'], e.secretRef.name));
        });
      });
    }
    ((spec.volumes ?? []) as Json[]).forEach((v, vi) => {
      const s = v.secret;
      if (!s || s.optional === true) return;
      const at = [...specPath, 'volumes', vi, 'secret'];
      if (Array.isArray(s.items) && s.items.length > 0) (s.items as Json[]).forEach((item, ii) => refs.push(ref([...at, 'items', ii, 'key'], s.secretName, item.key)));
      else refs.push(ref(at, s.secretName));
    });
    return refs;
  });
}

/** The keys each rendered ExternalSecret or SealedSecret makes, by `<namespace>/<Secret>`. */
export function producedKeys(objects: readonly RenderedInput[], namespace: string): Map<string, Set<string>> {
  const produced = new Map<string, Set<string>>();
  const add = (ns: string, name: string, keys: Iterable<string>) => {
    const id = `${ns}/${name}`;
    produced.set(id, new Set([...(produced.get(id) ?? []), ...keys]));
  };
  const passwords = new Map(objects.filter((o) => o.object.kind === 'Password').map((o) => [`${o.object.metadata.namespace ?? namespace}/${o.object.metadata.name}`, o]));
  for (const at of objects) {
    const ns = at.object.metadata.namespace ?? namespace;
    if (at.object.kind === 'ExternalSecret') {
      const spec = (get(at.object, ['spec']) ?? {}) as Json;
      // A generator's keys: its secretKeys, else "password" (ESO v2.9.0 generators/v1/password/password.go:136-139).
      const generated = ((spec.dataFrom ?? []) as Json[]).flatMap((d) => {
        const g = d.sourceRef?.generatorRef;
        if (!g || g.kind !== 'Password') return [];
        const password = passwords.get(`${ns}/${g.name}`);
        return password ? ((get(password.object, ['spec', 'secretKeys']) ?? ['password']) as string[]) : [];
      });
      add(ns, spec.target?.name ?? at.object.metadata.name, [...((spec.data ?? []) as Json[]).map((d) => d.secretKey as string), ...generated]);
    }
    if (at.object.kind === 'SealedSecret') {
      const spec = (get(at.object, ['spec']) ?? {}) as Json;
      add(ns, spec.template?.metadata?.name ?? at.object.metadata.name, [...Object.keys(spec.encryptedData ?? {}), ...Object.keys(spec.template?.data ?? {})]);
    }
  }
  return produced;
}

/**
 * Every Secret key a rendered object reads must be produced by the chosen delivery, or its Secret
 * declared external (`secrets.external`): otherwise Argo CD syncs pods that wait in
 * CreateContainerConfigError. Under `manual`, "produced" means listed in SECRETS.md (the one list,
 * lib/model/secrets.ts); under external-secrets and sealed-secrets, made by a rendered
 * ExternalSecret (its `data` keys and its Password generators' keys) or SealedSecret. The render
 * (lib/app/render.ts) makes them errors, warnings under sealed-secrets (nothing can be sealed before
 * the controller of the first sync runs).
 */
export function unproducedReferences(resolved: ResolvedSecrets, namespace: string, objects: readonly RenderedInput[]): UnproducedReference[] {
  const { delivery, external } = resolved.settings;
  const listed = new Map(resolved.secrets.map((s) => [`${s.namespace}/${s.name}`, new Set(s.keys.map((k) => k.key))]));
  const produced = delivery === 'manual' ? listed : producedKeys(objects, namespace);
  const fix: Record<typeof delivery, string> = {
    manual: 'SECRETS.md does not list it, so nobody is told to create it: the object reads a key its construct does not declare (a mastodon-cdk8s bug, please report it); meanwhile list the Secret in secrets.external and create it yourself',
    'external-secrets': 'no ExternalSecret in the secrets chart makes it (there is one per Secret of SECRETS.md): render again with `npm run synth` rather than editing dist/, or list the Secret in secrets.external if something else makes it',
    'sealed-secrets': 'no SealedSecret in the secrets chart holds it: seal that key (SECRETS.md says how), or list the Secret in secrets.external if something else makes it',
  };
  return secretReferences(objects, namespace)
    .filter((r) => !external.includes(r.name))
    .flatMap((r) => {
      const keys = produced.get(`${r.namespace}/${r.name}`);
      if (keys && (r.key === undefined || keys.has(r.key))) return [];
      const what = r.key === undefined ? `Secret ${r.namespace}/${r.name}` : `key ${r.key} of Secret ${r.namespace}/${r.name}`;
      return [{ ...r, message: `reads the ${what}, which the ${delivery} delivery does not produce; ${fix[delivery]}` }];
    });
}
