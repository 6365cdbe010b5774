import { CloneType, Static, TSchema, TUnsafe, Type } from '@sinclair/typebox';
import { ALLOWED } from './annotations';

/**
 * Helpers for writing the config schemas with TypeBox: one source for the JSON Schemas that ajv
 * and editors read (emitted by `npm run schemas` into ../schemas/) and the TypeScript types
 * (../types.ts, `Static<>`). Nothing here runs in a synth: ajv and the CLI bundle read the emitted
 * JSON, and types.ts imports these modules for their types only.
 *
 * Editors: yaml-language-server shows `description` on hover, offers `default` in completion and
 * reports `patternErrorMessage`, else `errorMessage`, instead of a failed pattern's raw regex
 * (redhat-developer/yaml-language-server@1.23.0 src/languageservice/parser/schemaValidation/baseValidator.ts:835-842);
 * `errorMessage` also replaces its type and enum messages (:546, :557, :750) but, on an object,
 * its messages about missing and unknown fields too (:1231, :1274), so objects get no `errorMessage`.
 */

/** What an editor shows for a value that does not match: the same words as the CLI's "allowed: …". */
export function allowedMessage(allowed: string): string {
  return `allowed: ${allowed}`;
}

/** `x-allowed` plus the editor's message for a value (not an object) that is not allowed. */
export function allowed(text: string): { readonly 'x-allowed': string; readonly errorMessage: string } {
  return { [ALLOWED]: text, errorMessage: allowedMessage(text) };
}

/** `x-allowed` alone, for an object (an `errorMessage` would hide the editor's own field messages). */
export function allowedFields(text: string): { readonly 'x-allowed': string } {
  return { [ALLOWED]: text };
}

/** A required property; its description is what the editor shows on hover. */
export function prop<T extends TSchema>(description: string, schema: T): T {
  return Object.assign(CloneType(schema), { description });
}

/** An optional property, with its description. */
export function opt<T extends TSchema>(description: string, schema: T) {
  return Type.Optional(prop(description, schema));
}

/** An object whose unknown fields are errors (every object of the config is closed). */
export function obj<P extends Parameters<typeof Type.Object>[0]>(properties: P, options: Record<string, unknown> = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** A string matching `regex`, with what it allows in words (for the CLI and the editor). */
export function pattern(regex: string, allowedText: string, options: Record<string, unknown> = {}) {
  return Type.String({ ...options, pattern: regex, ...patternAllowed(allowedText) });
}

/** The keywords of a pattern's wording: `x-allowed` and the editor's `patternErrorMessage`. */
export function patternAllowed(text: string): { readonly 'x-allowed': string; readonly patternErrorMessage: string } {
  return { [ALLOWED]: text, patternErrorMessage: allowedMessage(text) };
}

/** A property name rule (`propertyNames`): a pattern without a type (names are always strings). */
export function namePattern(regex: string, allowedText: string) {
  return Type.Unsafe<string>({ pattern: regex, ...patternAllowed(allowedText) });
}

/** One of a few values (`enum`, whose ajv error lists them). */
export function literals<const V extends readonly (string | number)[]>(values: V, options: Record<string, unknown> = {}): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ ...options, enum: [...values] });
}

/** An open map of names to values, with a rule for the names. */
export function map<V extends TSchema>(names: TSchema, values: V, options: Record<string, unknown> = {}): TUnsafe<Record<string, Static<V>>> {
  return Type.Unsafe<Record<string, Static<V>>>({ type: 'object', ...options, propertyNames: names, additionalProperties: values });
}

/** A schema written as plain JSON Schema (`oneOf`, union types, `not`), with its TypeScript type. */
export function raw<T>(schema: Record<string, unknown>): TUnsafe<T> {
  return Type.Unsafe<T>(schema);
}

/** `$ref`s to a schema's `definitions`, each typed as the definition. */
export function refs<D extends Record<string, TSchema>>(definitions: D): { readonly [K in keyof D]: TUnsafe<Static<D[K]>> } {
  return Object.fromEntries(Object.keys(definitions).map((name) => [name, Type.Unsafe({ $ref: `#/definitions/${name}` })])) as never;
}

/** The types of the loaded config are read-only all the way down. */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A `$ref` to one definition (inside the definitions, before `refs` can be built). */
export function ref<T extends TSchema>(name: string, _definition: T): TUnsafe<Static<T>> {
  return Type.Unsafe<Static<T>>({ $ref: `#/definitions/${name}` });
}

/**
 * `schema` with its `required` list in this order (TypeBox lists them in property order): ajv
 * reports missing fields in this order.
 */
export function requiredInOrder<T extends TSchema>(schema: T, names: readonly string[]): T {
  const required = (schema as { required?: string[] }).required ?? [];
  if ([...required].sort().join() !== [...names].sort().join()) throw new Error(`required fields are ${required.join(', ')}, not ${names.join(', ')}`);
  return Object.assign(CloneType(schema), { required: [...names] });
}
