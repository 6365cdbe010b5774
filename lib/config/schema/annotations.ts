/**
 * Schema keywords that only annotate. Kept apart from the TypeBox sources so that ajv.ts (bundled
 * into the CLI) can register them without loading TypeBox.
 */

/** The human wording of what a value may be; the CLI's error messages quote it (schema-check.ts). */
export const ALLOWED = 'x-allowed';

/**
 * yaml-language-server's message for a value that fails a pattern, or any other check, in an editor
 * (redhat-developer/yaml-language-server@1.23.0 src/languageservice/parser/schemaValidation/baseValidator.ts:835-842).
 * ajv (strict) must know them and ignores them.
 */
export const EDITOR_KEYWORDS = ['patternErrorMessage', 'errorMessage'] as const;
