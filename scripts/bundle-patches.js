'use strict';
// The forms bin/mastodon-cdk8s.js gives two dependencies' hot functions while bundling the CLI:
// the same output, less work (issue 17). Each patch replaces an exact piece of the dependency's
// source; test/cli/bundle.test.ts fails when one no longer finds it (after an upgrade).

/**
 * The generated `toJson_*` functions of cdk8s-plus-28's and our own imports drop undefined fields
 * with a reducer that copies the whole object for every field (quadratic, and most of the garbage a
 * render makes). The bundle gets one that adds each field to the object being built: the same
 * object, the same key order (`__proto__` defined as an own field, as the spread does).
 * test/cli/bundle.test.ts holds the bundled CLI's output to the sources'.
 */
const SPREAD_REDUCER = '.reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})';
const LINEAR_REDUCER = ".reduce((r, i) => { if (i[1] !== undefined) { if (i[0] === '__proto__') Object.defineProperty(r, i[0], { value: i[1], enumerable: true, writable: true, configurable: true }); else r[i[0]] = i[1]; } return r; }, {})";

/**
 * cdk8s' `resolve` (cdk8s 2.70 lib/resolve.js:101-128) walks every value of every object: for each
 * it looks up the App's resolvers (up the construct tree), copies the key path and asks the three
 * built-in resolvers, none of which can change a string, number or boolean; it was a tenth of a
 * render. The bundle exports one that, when the App has exactly the built-in resolvers (this
 * project adds none), asks their three questions in their order only of what is not such a value,
 * and builds no key path (the built-ins do not read it); any other App gets cdk8s' own function.
 * test/cli/bundle.test.ts holds the bundled CLI's output to the sources', and test/cli/bundle-patches.test.ts
 * holds this function to cdk8s' own on random values.
 */
const CDK8S_RESOLVE_EXPORT = 'exports.resolve = resolve;';
const BUILT_IN_RESOLVE = `exports.resolve = resolveWithBuiltIns;
function resolveWithBuiltIns(key, value, apiObject) {
    const resolvers = app_1.App.of(apiObject).resolvers;
    const builtIns = resolvers.length === 3 && resolvers[0].constructor === LazyResolver && resolvers[1].constructor === ImplicitTokenResolver
        && resolvers[2].constructor === NumberStringUnionResolver
        && [String, Number, Boolean].every((type) => !('resolve' in type.prototype) && !('value' in type.prototype));
    return builtIns ? resolveBuiltIn(value) : resolve(key, value, apiObject);
}
function resolveBuiltIn(value) {
    if (value == null) return value;
    const type = typeof value;
    if (type === 'string' || type === 'number' || type === 'boolean') return value;
    if (value instanceof lazy_1.Lazy) return resolveBuiltIn(value.produce());
    if (typeof value.resolve === 'function') return resolveBuiltIn(value.resolve());
    if (value.constructor !== Object && (typeof value.value === 'number' || typeof value.value === 'string')) return resolveBuiltIn({ value: value.value });
    if (Array.isArray(value)) return value.map((x) => resolveBuiltIn(x));
    if (value.constructor == Object) {
        const result = {};
        for (const [k, v] of Object.entries(value)) result[k] = resolveBuiltIn(v);
        return result;
    }
    return value;
}`;

/** A generated imports file with the linear reducer. */
function linearToJson(source) {
  return source.split(SPREAD_REDUCER).join(LINEAR_REDUCER);
}

/** cdk8s' lib/resolve.js exporting resolveWithBuiltIns (its own `resolve` kept for other Apps). */
function builtInResolve(source) {
  return source.replace(CDK8S_RESOLVE_EXPORT, () => BUILT_IN_RESOLVE);
}

module.exports = { linearToJson, builtInResolve };
