import Ajv, { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import instanceSchema from './schemas/instance.schema.json';
import queuePlanSchema from './schemas/queue-plan.schema.json';
import clusterSchema from './schemas/cluster.schema.json';
import { ALLOWED, EDITOR_KEYWORDS } from './schema/annotations';

export { ALLOWED };

export const SCHEMAS = {
  instance: instanceSchema,
  queuePlan: queuePlanSchema,
  cluster: clusterSchema,
} as const;

export type SchemaName = keyof typeof SCHEMAS;
export type Validators = Readonly<Record<SchemaName, ValidateFunction>>;

function createAjv(source: boolean): Ajv {
  // verbose: errors carry the schema and value, which the messages quote.
  // allowUnionTypes: a value may be 'any' or a list (networkPolicy.edge).
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, code: { source } });
  ajv.addKeyword({ keyword: ALLOWED, schemaType: 'string' });
  for (const keyword of EDITOR_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });
  return ajv;
}

/** Compiles every schema at run time (tests; ~0.2 s). */
export function compileValidators(): Validators {
  const ajv = createAjv(false);
  return { instance: ajv.compile(SCHEMAS.instance), queuePlan: ajv.compile(SCHEMAS.queuePlan), cluster: ajv.compile(SCHEMAS.cluster) };
}

/**
 * The same validators as standalone JavaScript (a CommonJS module exporting one function per
 * schema and a `validators` object), which bin/mastodon-cdk8s.js bundles in place of ./validators so that a synth does not
 * pay for compiling the schemas.
 * @see https://ajv.js.org/standalone.html
 */
export function standaloneValidators(): string {
  const ajv = createAjv(true);
  const refs: Record<string, string> = {};
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    ajv.addSchema(schema);
    refs[name] = schema.$id;
  }
  // Same shape as ./validators: one `validators` object.
  const names = Object.keys(SCHEMAS).map((name) => `${name}: exports.${name}`).join(', ');
  return `${standaloneCode(ajv, refs)}\nexports.validators = { ${names} };\n`;
}
