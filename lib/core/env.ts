import { k8s } from 'cdk8s-plus-28';

/** A key of a Secret in the instance namespace. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** A Secret key the cluster must hold, and what reads it (listed in SECRETS.md). */
export interface RequiredSecret extends SecretKeyRef {
  /** @default the instance namespace */
  readonly namespace?: string;
  /** The environment variable it becomes, or what else reads it. */
  readonly envVar: string;
  readonly purpose: string;
  /** Its value is a file (a PEM bundle), created with `--from-file`. @default false: a string */
  readonly file?: boolean;
}

/** Each Secret key once per variable that reads it, in first-seen order. */
export function uniqueSecrets(secrets: readonly RequiredSecret[]): RequiredSecret[] {
  const seen = new Set<string>();
  return secrets.filter((s) => {
    const id = `${s.name}/${s.key}/${s.envVar}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function secretEnv(name: string, ref: SecretKeyRef): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } };
}

/**
 * Collects a part of a process environment: non-secret settings (`shared`), variables read from
 * Secrets (`vars`, in order) and the Secret keys those need (`secrets`).
 */
export class EnvBuilder {
  public readonly shared: Record<string, string> = {};
  public readonly vars: k8s.EnvVar[] = [];
  public readonly secrets: RequiredSecret[] = [];

  /** Sets a non-secret setting; `undefined` leaves it out (the program's own default applies). */
  public set(name: string, value: string | number | boolean | undefined): this {
    if (value !== undefined) this.shared[name] = String(value);
    return this;
  }

  /** The whole part as container env: the settings as literals, then the Secret-backed variables. */
  public toEnv(): k8s.EnvVar[] {
    return [...Object.entries(this.shared).map(([name, value]) => ({ name, value })), ...this.vars];
  }

  /** Reads `envVar` from a Secret key; `undefined` leaves it out. */
  public secret(envVar: string, ref: SecretKeyRef | undefined, purpose: string): this {
    if (ref) {
      this.vars.push(secretEnv(envVar, ref));
      this.secrets.push({ ...ref, envVar, purpose });
    }
    return this;
  }
}
