import { App } from 'cdk8s';
import { DRAGONFLY_PASSWORD, RotationPolicy, ROTATION_POLICIES } from '../catalog/secret-rotation';
import { LoadedInstance } from '../config/types';
import { buildModel } from '../model/build';
import { ResolvedSecrets, SecretSpec } from '../model/secrets';
import { buildInstance } from './build-instance';
import { KeyGenerator, keyAddress, keyGenerators, SealError } from './seal';

/** What has no policy here: a value its provider issues (database, SMTP, object storage…). */
export interface ProviderIssued {
  readonly kind: 'provider';
}

/** One rotation: the keys of one Secret replaced together, and what that costs. */
export interface Rotation {
  readonly secret: SecretSpec;
  /** The keys replaced: one, or a key pair (VAPID). */
  readonly keys: readonly string[];
  readonly policy: RotationPolicy | ProviderIssued;
  /** How new values are made. @default none: the provider issues them */
  readonly generator?: KeyGenerator;
  /** The generated value is made by ESO in the cluster (external-secrets). */
  readonly generatedInCluster: boolean;
  readonly resolved: ResolvedSecrets;
}

/**
 * What `secrets rotate <name>` replaces: `name` is an environment variable (SECRET_KEY_BASE,
 * REDIS_PASSWORD…), a key of the application Secret, or `<Secret>/<key>`. A key that is one of a
 * pair brings the pair (VAPID).
 */
export function planRotation(loaded: LoadedInstance, name: string): Rotation {
  const resolved = buildInstance(new App(), buildModel(loaded)).secrets;
  const namespace = loaded.instance.namespace;
  const delivered = resolved.secrets.filter((s) => !s.external);
  const matches = delivered.flatMap((secret) => secret.keys
    .filter((k) => k.key === name || keyAddress(namespace, secret.namespace, secret.name, k.key) === name || k.readBy.some((r) => r.as === name))
    .map((k) => ({ secret, key: k })));
  if (matches.length === 0) {
    const names = [...new Set(delivered.flatMap((s) => s.keys.flatMap((k) => [...k.readBy.map((r) => r.as), keyAddress(namespace, s.namespace, s.name, k.key)])))].sort();
    throw new SealError(`the instance reads no secret \`${name}\`; one of: ${names.join(', ')}`);
  }
  const ids = new Set(matches.map((m) => `${m.secret.namespace}/${m.secret.name}/${m.key.key}`));
  if (ids.size > 1) {
    throw new SealError(`\`${name}\` names ${[...ids].join(', ')}; name one as <Secret>/<key>`);
  }
  const { secret, key } = matches[0];
  const generator = keyGenerators(loaded).find((g) => g.namespace === secret.namespace && g.name === secret.name && g.keys.includes(key.key));
  const keys = generator ? generator.keys.filter((k) => secret.keys.some((s) => s.key === k)) : [key.key];
  const byVariable = key.readBy.map((r) => ROTATION_POLICIES[r.as]).find((p) => p !== undefined);
  const isDragonfly = generator !== undefined && generator.keys.length === 1 && key.readBy.some((r) => /REDIS_PASSWORD$/.test(r.as));
  const policy: RotationPolicy | ProviderIssued = byVariable ?? (isDragonfly ? DRAGONFLY_PASSWORD : { kind: 'provider' });
  return {
    secret,
    keys,
    policy,
    ...(generator && policy.kind !== 'provider' ? { generator } : {}),
    generatedInCluster: key.generatedInCluster !== undefined,
    resolved,
  };
}
