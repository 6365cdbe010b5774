import { compileValidators, Validators } from './ajv';

/**
 * The schema validators, compiled at run time. The CLI bundle replaces this module with the
 * precompiled output of `standaloneValidators()` (see bin/mastodon-cdk8s.js).
 */
export const validators: Validators = compileValidators();
