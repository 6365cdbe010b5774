import { ErrorObject } from 'ajv';
import type { SchemaName } from './ajv';
import { ALLOWED } from './schema/annotations';
import { ConfigError, ConfigProblem } from '../core/errors';
import { mask } from '../core/credentials';
import { pointerToPath, show } from '../core/show';
import { ConfigSource } from '../core/source';
import { validators } from './validators';

/**
 * Validates a parsed file against one of the JSON Schemas and throws a ConfigError listing every
 * problem as `file:line:col: path: the value, and what is allowed`.
 */
export function checkSchema<T>(source: ConfigSource, schema: SchemaName): T {
  const validate = validators[schema];
  if (validate(source.data)) return source.data as T;
  const errors = validate.errors ?? [];
  const hint = nameHints(errors);
  const problems = relevantErrors(errors).map((e) => toProblem(source, e, hint));
  throw new ConfigError(dedupe(problems));
}

/**
 * Drops the noise of `oneOf`: when some branch matches the value's type, only that branch's errors
 * are kept (the user's intent); when none does, the `oneOf` itself is reported. A bad property
 * name is reported once, by its 'propertyNames' error. Linear in the number of errors (a file can
 * have tens of thousands): errors are counted per path prefix instead of searched per `oneOf`.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const kept = errors.filter((e) => e.propertyName === undefined);
  const live = new Set(kept);
  /** instancePath → how many live errors are at it or below it. */
  const atOrBelow = new Map<string, number>();
  const typeErrorsAt = new Map<string, ErrorObject[]>();
  const count = (e: ErrorObject, delta: number) => {
    for (const prefix of prefixes(e.instancePath)) atOrBelow.set(prefix, (atOrBelow.get(prefix) ?? 0) + delta);
  };
  for (const e of kept) {
    count(e, 1);
    if (e.keyword === 'type') typeErrorsAt.set(e.instancePath, [...(typeErrorsAt.get(e.instancePath) ?? []), e]);
  }
  const drop = (e: ErrorObject) => {
    if (live.delete(e)) count(e, -1);
  };
  for (const one of errors.filter((e) => e.keyword === 'oneOf')) {
    const at = one.instancePath;
    const typeMismatches = (typeErrorsAt.get(at) ?? []).filter((e) => live.has(e));
    typeErrorsAt.delete(at);
    const fromMatchingBranch = (atOrBelow.get(at) ?? 0) - typeMismatches.length - (live.has(one) ? 1 : 0) > 0;
    typeMismatches.forEach(drop);
    if (fromMatchingBranch) drop(one);
  }
  return kept.filter((e) => live.has(e));
}

/** A JSON pointer and every pointer above it: `/a/b` → ``, `/a`, `/a/b`. */
function prefixes(pointer: string): string[] {
  const parts = pointer.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The `x-allowed` wording of the schema a bad property name failed, looked up in an index of `errors`. */
function nameHints(errors: ErrorObject[]): (e: ErrorObject) => string | undefined {
  const failedName = new Map<string, ErrorObject>();
  for (const x of errors) {
    const key = `${x.instancePath}\0${x.propertyName}`;
    if (x.propertyName !== undefined && x.keyword !== 'propertyNames' && !failedName.has(key)) failedName.set(key, x);
  }
  return (e) => {
    const name = (e.params as { propertyName: string }).propertyName;
    const inner = failedName.get(`${e.instancePath}\0${name}`);
    return (inner?.parentSchema as Record<string, unknown> | undefined)?.[ALLOWED] as string | undefined;
  };
}

/**
 * The value a message quotes. Where the schema expects a Secret reference, a plain string is most
 * likely the secret itself, typed in by mistake: it is shown masked, never whole.
 */
function shownValue(e: ErrorObject): string {
  return isSecretKeyRef(e.parentSchema) && typeof e.data === 'string' ? `a string (${mask(e.data)})` : show(e.data);
}

/** The schema of a Secret reference (`definitions.secretKeyRef`): an object of exactly `name` and `key`. */
function isSecretKeyRef(schema: unknown): boolean {
  const s = schema as { type?: unknown; properties?: Record<string, unknown>; required?: unknown[] } | undefined;
  const fields = Object.keys(s?.properties ?? {}).sort().join(',');
  return s?.type === 'object' && fields === 'key,name' && (s.required ?? []).length === 2;
}

function toProblem(source: ConfigSource, e: ErrorObject, nameHint: (e: ErrorObject) => string | undefined): ConfigProblem {
  const path = pointerToPath(e.instancePath);
  const allowed = (e.parentSchema as Record<string, unknown> | undefined)?.[ALLOWED] as string | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const hint = known.length > 0 ? `; allowed fields: ${known.join(', ')}` : '';
      return source.problem([...path, field], `unknown field ${show(field)}${hint}`, true);
    }
    case 'required': {
      const field = (e.params as { missingProperty: string }).missingProperty;
      const properties = (e.parentSchema as { properties?: Record<string, Record<string, unknown>> }).properties;
      const hint = properties?.[field]?.[ALLOWED] as string | undefined;
      return source.problem(path, `missing required field "${field}"${hint ? `; allowed: ${hint}` : ''}`);
    }
    case 'propertyNames': {
      const name = (e.params as { propertyName: string }).propertyName;
      const hint = nameHint(e);
      return source.problem([...path, name], `${show(name)} is not allowed as a name${hint ? `; allowed: ${hint}` : ''}`, true);
    }
    case 'enum':
      return source.problem(path, `${shownValue(e)} is not allowed; allowed: ${(e.schema as unknown[]).map(show).join(', ')}`);
    case 'pattern':
      return source.problem(path, `${shownValue(e)} is not allowed; allowed: ${allowed ?? `values matching ${e.schema}`}`);
    case 'not':
      return source.problem(path, `${shownValue(e)} is not allowed; allowed: ${allowed ?? e.message}`, true);
    case 'oneOf':
      return source.problem(path, `${shownValue(e)} is not allowed; allowed: ${allowed ?? e.message}`);
    default:
      return source.problem(path, `${shownValue(e)} is not allowed: ${e.message}${allowed ? `; allowed: ${allowed}` : ''}`);
  }
}


function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.col}:${p.path}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).sort((a, b) => a.line - b.line || a.col - b.col);
}
