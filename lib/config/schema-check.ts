import { ErrorObject } from 'ajv';
import { ALLOWED, SchemaName } from './ajv';
import { ConfigError, ConfigProblem } from './errors';
import { show } from './show';
import { ConfigSource, ValuePath } from './source';
import { validators } from './validators';

/**
 * Validates a parsed file against one of the JSON Schemas and throws a ConfigError listing every
 * problem as `file:line:col: path: the value, and what is allowed`.
 */
export function checkSchema<T>(source: ConfigSource, schema: SchemaName): T {
  const validate = validators[schema];
  if (validate(source.data)) return source.data as T;
  const errors = validate.errors ?? [];
  const problems = relevantErrors(errors).map((e) => toProblem(source, e, errors));
  throw new ConfigError(dedupe(problems));
}

/**
 * Drops the noise of `oneOf`: when some branch matches the value's type, only that branch's errors
 * are kept (the user's intent); when none does, the `oneOf` itself is reported. A bad property
 * name is reported once, by its 'propertyNames' error.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  let kept = errors.filter((e) => e.propertyName === undefined);
  for (const one of errors.filter((e) => e.keyword === 'oneOf')) {
    const at = one.instancePath;
    const typeMismatches = kept.filter((e) => e.instancePath === at && e.keyword === 'type');
    const fromMatchingBranch = kept.some((e) => e !== one && !typeMismatches.includes(e) && (e.instancePath === at || e.instancePath.startsWith(`${at}/`)));
    kept = kept.filter((e) => !typeMismatches.includes(e) && (e !== one || !fromMatchingBranch));
  }
  return kept;
}

/** The `x-allowed` wording of the schema a bad property name failed. */
function nameHint(errors: ErrorObject[], e: ErrorObject): string | undefined {
  const name = (e.params as { propertyName: string }).propertyName;
  const inner = errors.find((x) => x.propertyName === name && x.instancePath === e.instancePath && x.keyword !== 'propertyNames');
  return (inner?.parentSchema as Record<string, unknown> | undefined)?.[ALLOWED] as string | undefined;
}

function toProblem(source: ConfigSource, e: ErrorObject, all: ErrorObject[]): ConfigProblem {
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
      return source.problem(path, `missing required field "${field}"`);
    }
    case 'propertyNames': {
      const name = (e.params as { propertyName: string }).propertyName;
      const hint = nameHint(all, e);
      return source.problem([...path, name], `${show(name)} is not allowed as a name${hint ? `; allowed: ${hint}` : ''}`, true);
    }
    case 'enum':
      return source.problem(path, `${show(e.data)} is not allowed; allowed: ${(e.schema as unknown[]).map(show).join(', ')}`);
    case 'pattern':
      return source.problem(path, `${show(e.data)} is not allowed; allowed: ${allowed ?? `values matching ${e.schema}`}`);
    case 'oneOf':
      return source.problem(path, `${show(e.data)} is not allowed; allowed: ${allowed ?? e.message}`);
    default:
      return source.problem(path, `${show(e.data)} is not allowed: ${e.message}${allowed ? `; allowed: ${allowed}` : ''}`);
  }
}

export function pointerToPath(pointer: string): ValuePath {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => {
    const key = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
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
