'use strict';
// The forms bin/mastodon-cdk8s.js gives three hot functions of dependencies while bundling the CLI,
// and test/setup/patched-dependencies.js while jest loads them: the same output, less work (issue
// 17). Each patch replaces an exact piece of the dependency's source; test/cli/bundle.test.ts
// fails when one no longer finds it (after an upgrade).

/**
 * The generated `toJson_*` functions of cdk8s-plus-28's and our own imports drop undefined fields
 * with `Object.entries(x)` and a reducer that copies the whole object for every field (quadratic,
 * and most of the garbage a render makes). The bundle calls instead a function appended to the file
 * (hoisted), which copies the defined fields from the object's keys without an array per field:
 * the same object, the same key order (`__proto__` defined as an own field, as the spread does).
 * A reducer in any other form stays as it is, and test/cli/bundle.test.ts, which finds none left,
 * fails.
 */
const SPREAD_REDUCER = '.reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})';
const ENTRIES_REDUCED = new RegExp(`Object\\.entries\\(([A-Za-z0-9_$.?]+)\\)${SPREAD_REDUCER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g');
const DEFINED_FIELDS = `
function definedFields(o) {
    const r = {};
    for (const k of Object.keys(o)) {
        const v = o[k];
        if (v !== undefined) {
            if (k === '__proto__') Object.defineProperty(r, k, { value: v, enumerable: true, writable: true, configurable: true });
            else r[k] = v;
        }
    }
    return r;
}
`;

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
exports.resolveSanitized = resolveSanitized;
const sanitize_1 = require("./_util");
function onlyBuiltIns(apiObject) {
    const resolvers = app_1.App.of(apiObject).resolvers;
    return resolvers.length === 3 && resolvers[0].constructor === LazyResolver && resolvers[1].constructor === ImplicitTokenResolver
        && resolvers[2].constructor === NumberStringUnionResolver
        && [String, Number, Boolean].every((type) => !('resolve' in type.prototype) && !('value' in type.prototype));
}
function resolveWithBuiltIns(key, value, apiObject) {
    return onlyBuiltIns(apiObject) ? resolveBuiltIn(value) : resolve(key, value, apiObject);
}
/**
 * sanitizeValue(resolve(key, value, apiObject), options), in one pass when the App has only the
 * built-in resolvers. A value sanitizeValue refuses stops the pass, and the two passes run instead,
 * so that the error is the one cdk8s throws (its sanitizeValue meets values in sorted key order).
 */
function resolveSanitized(key, value, apiObject, options) {
    if (!onlyBuiltIns(apiObject)) return (0, sanitize_1.sanitizeValue)(resolve(key, value, apiObject), options);
    try {
        return sanitizeResolved(value, options);
    } catch (e) {
        if (e === TWO_PASSES) return (0, sanitize_1.sanitizeValue)(resolveBuiltIn(value), options);
        throw e;
    }
}
const TWO_PASSES = { reason: 'sanitizeValue refused a value' };
/** sanitizeValue(resolveBuiltIn(value), options): each value resolved in resolveBuiltIn's order, each object copied once. */
function sanitizeResolved(value, options) {
    if (value == null) return undefined;
    const type = typeof value;
    if (type === 'string' || type === 'number' || type === 'boolean') return value;
    if (value instanceof lazy_1.Lazy) return sanitizeResolved(value.produce(), options);
    if (typeof value.resolve === 'function') return sanitizeResolved(value.resolve(), options);
    if (value.constructor !== Object && (typeof value.value === 'number' || typeof value.value === 'string')) return sanitizeResolved({ value: value.value }, options);
    if (Array.isArray(value)) {
        const items = value.map((x) => sanitizeResolved(x, options));
        return options.filterEmptyArrays && items.length === 0 ? undefined : items;
    }
    if (value.constructor == Object) {
        const keys = Object.keys(value);
        // An own __proto__ key sets the copy's prototype in resolveBuiltIn: that rare object takes the two passes.
        if (keys.includes('__proto__')) return sanitizeRefusing(resolveBuiltIn(value), options);
        const values = Object.values(value);
        const n = keys.length;
        for (let i = 0; i < n; i++) values[i] = sanitizeResolved(values[i], options);
        const result = {};
        let kept = 0;
        if ((options.sortKeys ?? true) && n > 1) {
            const order = sortedOrder(keys);
            for (let j = 0; j < n; j++) {
                const i = order[j];
                if (values[i] != null) { result[keys[i]] = values[i]; kept++; }
            }
        } else {
            for (let i = 0; i < n; i++) if (values[i] != null) { result[keys[i]] = values[i]; kept++; }
        }
        return options.filterEmptyObjects && kept === 0 ? undefined : result;
    }
    return sanitizeRefusing(value, options);
}
/** sanitizeValue(value, options), throwing TWO_PASSES where it throws. */
function sanitizeRefusing(value, options) {
    try {
        return (0, sanitize_1.sanitizeValue)(value, options);
    } catch {
        throw TWO_PASSES;
    }
}
/** The indices of distinct keys in the order Array.prototype.sort puts them (UTF-16 code units). */
function sortedOrder(keys) {
    const n = keys.length;
    const order = new Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    let sorted = true;
    for (let i = 1; i < n; i++) if (keys[i - 1] > keys[i]) { sorted = false; break; }
    if (sorted) return order;
    if (n > 24) return order.sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
    for (let i = 1; i < n; i++) {
        const o = order[i];
        const k = keys[o];
        let j = i - 1;
        while (j >= 0 && keys[order[j]] > k) { order[j + 1] = order[j]; j--; }
        order[j + 1] = o;
    }
    return order;
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

/**
 * cdk8s' `ApiObject.toJson` (cdk8s 2.70 lib/api-object.js:150) resolves the object's props (a copy of
 * the whole tree) and then sanitizes the copy (another copy, keys sorted). The bundle's asks the
 * patched lib/resolve.js for `resolveSanitized` (cdk8s' two passes if that patch did not apply),
 * which gives the same and, for an App with only the built-in resolvers, walks the tree once. test/cli/bundle-patches.test.ts holds it to the two passes.
 */
const CDK8S_TO_JSON_SANITIZE = '(0, _util_1.sanitizeValue)((0, resolve_1.resolve)([], data, this), { sortKeys })';
const ONE_PASS_TO_JSON_SANITIZE = `(resolve_1.resolveSanitized ? (0, resolve_1.resolveSanitized)([], data, this, { sortKeys }) : ${CDK8S_TO_JSON_SANITIZE})`;

/** A generated imports file whose reducers over entries are definedFields calls (linear). */
function linearToJson(source) {
  const fields = source.replace(ENTRIES_REDUCED, (_, object) => `definedFields(${object})`);
  return fields === source ? source : `${fields}\n${DEFINED_FIELDS}`;
}

/** cdk8s' lib/resolve.js exporting resolveWithBuiltIns (its own `resolve` kept for other Apps). */
function builtInResolve(source) {
  return source.replace(CDK8S_RESOLVE_EXPORT, () => BUILT_IN_RESOLVE);
}

/** cdk8s' lib/api-object.js resolving and sanitizing an object's props in one call. */
function onePassToJson(source) {
  return source.replace(CDK8S_TO_JSON_SANITIZE, () => ONE_PASS_TO_JSON_SANITIZE);
}

/**
 * The files each patch applies to: the bundler's (bin/mastodon-cdk8s.js) and the tests' transform
 * (test/setup/patched-dependencies.js), so that the tests run the dependencies as users do.
 */
const PATCHED_FILES = [
  { filter: /([\\/]cdk8s-plus-28[\\/]lib[\\/]imports[\\/]k8s\.js|[\\/]imports[\\/][^\\/]+\.ts)$/, patch: linearToJson },
  { filter: /[\\/]cdk8s[\\/]lib[\\/]resolve\.js$/, patch: builtInResolve },
  { filter: /[\\/]cdk8s[\\/]lib[\\/]api-object\.js$/, patch: onePassToJson },
];

/** `source`, the content of `file`, as the bundle has it: patched where a patch applies to the file. */
function patchedSource(file, source) {
  const applying = PATCHED_FILES.find(({ filter }) => filter.test(file));
  return applying ? applying.patch(source) : source;
}

module.exports = { linearToJson, builtInResolve, onePassToJson, PATCHED_FILES, patchedSource, DEFINED_FIELDS, SPREAD_REDUCER };
