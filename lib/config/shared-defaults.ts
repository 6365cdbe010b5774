import * as path from 'node:path';
import { entryExists } from '../core/read';
import { ConfigError, ConfigProblem } from '../core/errors';
import { ConfigSource, SourceText, ValuePath, YamlSource } from '../core/source';

/**
 * The folder beside the instance folders (`config/defaults/`) whose files every instance shares:
 * `instance.yaml` is deep-merged under each instance's own, and `queue-plan.yaml` is used by the
 * instances that have none. Its name is reserved: it is never an instance.
 */
export const DEFAULTS_FOLDER = 'defaults';

/** Where the shared default of an instance file lives: `<config root>/defaults/<file>`. */
export function defaultsPath(instanceDir: string, file: string): string {
  return path.join(path.dirname(path.resolve(instanceDir)), DEFAULTS_FOLDER, file);
}

/**
 * The shared default files of one run, each read and parsed once however many instances use it
 * (a hundred instances share one defaults file).
 */
export class SharedDefaults {
  private readonly files = new Map<string, YamlSource | undefined>();

  /** `<config root>/defaults/<file>` beside `instanceDir`, if there is one. */
  public read(instanceDir: string, file: string): YamlSource | undefined {
    const full = defaultsPath(instanceDir, file);
    if (!this.files.has(full)) {
      const display = path.relative(process.cwd(), full);
      // Anything there (a dangling link, a folder…) is read and fails loudly: a shared default
      // that cannot be read must not silently stop applying to every instance.
      this.files.set(full, entryExists(full, display) ? YamlSource.read(full, display) : undefined);
    }
    return this.files.get(full);
  }
}

type PlainMap = Readonly<Record<string, unknown>>;

function isMap(value: unknown): value is PlainMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasKey(map: PlainMap, key: string | number): boolean {
  return Object.prototype.hasOwnProperty.call(map, String(key));
}

/**
 * `over` laid on `under`: maps merge key by key, anything else in `over` (a scalar or a list)
 * replaces what is under it, and `null` removes the key (to drop a default section).
 */
export function deepMerge(under: unknown, over: unknown): unknown {
  if (!isMap(under) || !isMap(over)) return over;
  const keys = [...Object.keys(under), ...Object.keys(over).filter((k) => !hasKey(under, k))];
  // Object.fromEntries defines own properties, so even a `__proto__` key stays plain data.
  return Object.fromEntries(keys
    .filter((k) => !hasKey(over, k) || over[k] !== null)
    .map((k) => [k, hasKey(over, k) ? deepMerge(under[k], over[k]) : under[k]]));
}

/**
 * Several YAML files merged into one document (highest precedence first). Each problem points at
 * the file its value came from: the highest layer that defines it, following merged maps down.
 */
export class LayeredSource implements ConfigSource {
  public readonly file: string;
  public readonly data: unknown;

  constructor(private readonly layers: readonly [YamlSource, ...YamlSource[]]) {
    this.file = layers[0].file;
    this.data = layers.reduceRight<unknown>((merged, layer) => deepMerge(merged, layer.data), undefined);
  }

  public get inputs(): readonly SourceText[] {
    return this.layers.flatMap((layer) => layer.inputs);
  }

  public problem(valuePath: ValuePath, message: string, atKey = false): ConfigProblem {
    return this.owner(valuePath).problem(valuePath, message, atKey);
  }

  public fail(valuePath: ValuePath, message: string): never {
    throw new ConfigError([this.problem(valuePath, message)]);
  }

  private owner(valuePath: ValuePath): YamlSource {
    let candidates = this.layers.map((layer) => ({ layer, value: layer.data }));
    for (const segment of valuePath) {
      const next = candidates
        .filter((c) => isMap(c.value) && hasKey(c.value, segment))
        .map((c) => ({ layer: c.layer, value: (c.value as PlainMap)[String(segment)] }));
      if (next.length === 0) break;
      // A scalar or list is not merged: the highest layer that sets it owns everything below.
      if (!isMap(next[0].value)) return next[0].layer;
      candidates = next.filter((c) => isMap(c.value));
    }
    return candidates[0].layer;
  }
}

/** An instance file over its shared default, when there is one. */
export function overDefaults(own: YamlSource, shared: YamlSource | undefined): ConfigSource {
  return shared ? new LayeredSource([own, shared]) : own;
}
