import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { isMap, isScalar, isSeq, Node, parseDocument, Scalar, YAMLMap } from 'yaml';
import { ConfigError, formatProblem } from '../../lib/core/errors';
import { loadInstance } from '../../lib/app/load';
import { renderInstance } from '../../lib/app/render';
import { formatObjectProblem, ValidationError } from '../../lib/validate/object-problem';
import { EXAMPLE_DIR } from '../helpers';

/**
 * Random mutations of the example config, and the oracle every one must satisfy: a clean error
 * (file:line:col, no stack, no JavaScript error name, no credential repeated) or a render that
 * passes the semantic and policy checks and is the same when rendered again.
 */

/** How many cases a property runs: bounded in `npm test`, raised by `npm run fuzz` (NUM_RUNS). */
export function numRuns(bounded: number): number {
  const fromEnv = Number(process.env.NUM_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : bounded;
}

/** A fixed seed, so that `npm test` is reproducible; FUZZ_SEED picks another for a long run. */
export function seed(): number {
  const fromEnv = Number(process.env.FUZZ_SEED);
  return Number.isInteger(fromEnv) ? fromEnv : 20261130;
}

export const EXAMPLE_INSTANCE = fs.readFileSync(path.join(EXAMPLE_DIR, 'instance.yaml'), 'utf8');
export const EXAMPLE_QUEUE_PLAN = fs.readFileSync(path.join(EXAMPLE_DIR, 'queue-plan.yaml'), 'utf8');

/** Credentials of every shape the detector knows, with random bodies (the part that must never be echoed). */
const credential: fc.Arbitrary<{ value: string; secret: string }> = (() => {
  const alnum = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), minLength: min, maxLength: max });
  const upper = (n: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: n, maxLength: n });
  const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n }).filter((h) => /[0-9]/.test(h) && /[a-f]/.test(h));
  const whole = (a: fc.Arbitrary<string>) => a.map((s) => ({ value: s, secret: s }));
  return fc.oneof(
    whole(upper(16).map((s) => `AKIA${s}`)),
    whole(alnum(24, 40).map((s) => `sk_live_${s}`)),
    whole(alnum(20, 40).map((s) => `xoxb-${s}`)),
    whole(alnum(36, 40).map((s) => `ghp_${s}`)),
    whole(hex(48)),
    alnum(12, 30).filter((s) => !/^\$\(/.test(s)).map((p) => ({ value: `https://admin:${p}@example.social/x`, secret: p })),
    alnum(16, 32).map((k) => ({ value: `https://api.example.social/v1?api_key=${k}&x=1`, secret: k })),
    hex(40).map((s) => ({ value: `-----BEGIN PRIVATE KEY-----\nMII${s}\n-----END PRIVATE KEY-----\n`, secret: `MII${s}` })),
  );
})();

/** Values a careless operator might write anywhere. */
const TRICKY_VALUES = [
  '', ' ', '*.example.social', 'latest', '0', '-1', '25060', '25061', 'disable', 'prefer', '.inf', '~', 'on', 'no', '<<', '0o17',
  'require', 'v4.7.2', 'v4.2.0', 'v99.0.0', 'v3.0.0', 'https://x', 'http://', 'example.social', 'EXAMPLE.SOCIAL', 'a'.repeat(300),
  'ends-with-port.db.ondigitalocean.com:25060', '$(VAR)', '${VAR}', '\u0000', '\ufeff', '\u202e', '🐘', 'null', 'true', '12:30',
];

const scalarValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ minLength: 200, maxLength: 3000 }),
  fc.constantFrom(...TRICKY_VALUES),
  fc.integer(),
  fc.integer({ min: -2, max: 70000 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);

export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalarValue },
  { weight: 1, arbitrary: fc.array(scalarValue, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalarValue, { maxKeys: 3 }) },
);

const keyName = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('extra', 'replicas', 'port', 'EXTRA_SETTING', '__proto__', 'constructor', 'toString', '<<', 'y'));

/** One change to the parsed example; indices pick among the nodes present when it applies. */
export type Mutation =
  | { readonly op: 'set'; readonly at: number; readonly value: unknown }
  | { readonly op: 'nudge'; readonly at: number; readonly delta: number; readonly suffix: string }
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'add'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly op: 'duplicate'; readonly at: number; readonly value: unknown }
  | { readonly op: 'swap'; readonly at: number; readonly other: number }
  | { readonly op: 'secret'; readonly at: number; readonly value: string; readonly secret: string }
  | { readonly op: 'secretKey'; readonly at: number; readonly value: string; readonly secret: string }
  | { readonly op: 'text'; readonly offset: number; readonly insert: string };

const at = fc.nat();
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), at, value: anyValue }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('nudge' as const), at, delta: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-1000, 1000, 65536)), suffix: fc.constantFrom('-x', '0', '.example', ':25060', '/path', '', 'X') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), at, key: keyName, value: anyValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at, value: anyValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('swap' as const), at, other: at }) },
  { weight: 2, arbitrary: fc.tuple(at, credential).map(([i, c]) => ({ op: 'secret' as const, at: i, ...c })) },
  { weight: 1, arbitrary: fc.tuple(at, credential).map(([i, c]) => ({ op: 'secretKey' as const, at: i, ...c })) },
  // Raw text, anchors and aliases (`&a`, `*a`, `*.example.social`) included.
  { weight: 1, arbitrary: fc.record({ op: fc.constant('text' as const), offset: fc.nat(), insert: fc.string({ unit: fc.constantFrom(...' \t\n:-#{}[],"\'|>!%@`?x1&*'), minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('text' as const), offset: fc.nat(), insert: fc.constantFrom(' &a ', ' *a', ' *.example.social', ' &a [*a, *a]', '\nx: &b\n  y: *b\n') }) },
);

type Path = (string | number)[];

/** The path of every node under the root, in document order. */
function nodePaths(node: unknown, prefix: Path = []): { path: Path; node: Node }[] {
  const out: { path: Path; node: Node }[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const p = [...prefix, pair.key.value as string];
      out.push({ path: p, node: pair.value as Node }, ...nodePaths(pair.value, p));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => out.push({ path: [...prefix, i], node: item as Node }, ...nodePaths(item, [...prefix, i])));
  }
  return out;
}

const isPrefix = (a: Path, b: Path) => a.length <= b.length && a.every((s, i) => s === b[i]);

/** Applies the mutations to the example's text; returns the new text and the credentials it holds. */
function readsBack(doc: ReturnType<typeof parseDocument>): boolean {
  try {
    String(doc);
    return true;
  } catch {
    return false;
  }
}

export function mutate(text: string, mutations: readonly Mutation[]): { text: string; secrets: string[] } {
  let current = text;
  const secrets: string[] = [];
  for (const m of mutations) {
    if (m.op === 'text') {
      const offset = m.offset % (current.length + 1);
      current = current.slice(0, offset) + m.insert + current.slice(offset);
      continue;
    }
    const doc = parseDocument(current, { version: '1.2' });
    // A structural edit needs a document that reads back: not one with errors or an alias to an
    // anchor that an earlier text edit broke (those texts go to the loader as they are).
    if (doc.errors.length > 0 || !readsBack(doc)) continue;
    const nodes = nodePaths(doc.contents);
    if (nodes.length === 0) continue;
    const target = nodes[m.at % nodes.length];
    const maps = [{ path: [] as Path, node: doc.contents as Node }, ...nodes].filter((n) => isMap(n.node));
    switch (m.op) {
      case 'set': doc.setIn(target.path, doc.createNode(m.value)); break;
      case 'secret': doc.setIn(target.path, new Scalar(m.value)); secrets.push(m.secret); break;
      case 'delete': doc.deleteIn(target.path); break;
      case 'nudge': {
        // A plausible edit: a number a little off, a flag flipped, a name with something appended.
        if (!isScalar(target.node)) break;
        const v = target.node.value;
        const nudged = typeof v === 'number' ? v + m.delta : typeof v === 'boolean' ? !v : typeof v === 'string' ? `${v}${m.suffix}` : v;
        doc.setIn(target.path, doc.createNode(nudged));
        break;
      }
      case 'secretKey': {
        // A credential pasted as a name: it ends up in paths of messages.
        const map = maps[m.at % maps.length].node as YAMLMap;
        if (!map.has(m.value)) map.set(doc.createNode(m.value), doc.createNode('x'));
        secrets.push(m.secret);
        break;
      }
      case 'add': {
        const map = maps[m.at % maps.length].node as YAMLMap;
        if (!map.has(m.key)) map.set(m.key, doc.createNode(m.value));
        break;
      }
      case 'duplicate': {
        const withItems = maps.filter((n) => (n.node as YAMLMap).items.length > 0);
        if (withItems.length === 0) break;
        const map = withItems[m.at % withItems.length].node as YAMLMap;
        const key = map.items[m.at % map.items.length].key;
        map.items.push(doc.createPair(isScalar(key) ? key.value : key, m.value));
        break;
      }
      case 'swap': {
        const other = nodes[m.other % nodes.length];
        if (isPrefix(target.path, other.path) || isPrefix(other.path, target.path)) break;
        const a = doc.getIn(target.path, true) as Node;
        const b = doc.getIn(other.path, true) as Node;
        doc.setIn(target.path, b.clone());
        doc.setIn(other.path, a.clone());
        break;
      }
    }
    current = String(doc);
  }
  // A credential still there as a whole (a later nudge may have made it another string).
  const stillWhole = (s: string) => new RegExp(`(?<![A-Za-z0-9_])${s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![A-Za-z0-9_])`).test(current);
  return { text: current, secrets: secrets.filter(stillWhole) };
}

export type Outcome = { readonly kind: 'rendered' } | { readonly kind: 'refused'; readonly message: string };

/** JavaScript errors and stack frames that must never reach an operator. */
const CRASH_TEXT = /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|InternalError)\b|^\s+at .+\(.+:\d+:\d+\)$/m;

/**
 * Loads and renders one instance folder in-process, as synth does, and checks the outcome.
 * Throws (failing the property) on a crash, a message without file:line:col, an echoed
 * credential, a render that fails the semantic or policy checks, or a render that differs when repeated.
 */
export function checkInstance(dir: string, secrets: readonly string[]): Outcome {
  const warnings: string[] = [];
  const emitWarning = process.emitWarning;
  process.emitWarning = ((w: string | Error) => { warnings.push(String(w)); }) as typeof process.emitWarning;
  try {
    const outcome = outcomeOf(dir, secrets);
    if (warnings.length > 0) throw new Error(`a library printed its own warning: ${warnings.join('; ')}`);
    return outcome;
  } finally {
    process.emitWarning = emitWarning;
  }
}

function outcomeOf(dir: string, secrets: readonly string[]): Outcome {
  let message: string;
  try {
    const loaded = loadInstance(dir);
    const first = renderInstance(loaded);
    const again = renderInstance(loadInstance(dir));
    if (JSON.stringify([...first.files]) !== JSON.stringify([...again.files])) throw new Error('the render is not deterministic');
    const warnings = [...first.warnings].map(formatProblem).join('\n');
    for (const s of secrets) if (warnings.includes(s)) throw new Error(`a warning repeats a credential: ${warnings}`);
    if (secrets.length > 0) throw new Error(`a credential was rendered: ${secrets.join(', ')}`);
    return { kind: 'rendered' };
  } catch (e) {
    if (e instanceof ValidationError) throw new Error(`the config was accepted but its render fails the checks:\n${e.problems.map(formatObjectProblem).join('\n')}`);
    if (!(e instanceof ConfigError)) throw e;
    message = e.message;
    for (const p of e.problems) {
      if (!/\.yaml$/.test(p.file) || !(p.line >= 1) || !(p.col >= 1)) throw new Error(`a problem without file:line:col: ${formatProblem(p)}`);
    }
  }
  if (CRASH_TEXT.test(message)) throw new Error(`an error message shows JavaScript internals:\n${message}`);
  for (const s of secrets) if (message.includes(s)) throw new Error(`an error message repeats a credential:\n${message}`);
  return { kind: 'refused', message };
}

/** Writes an instance folder `dir` with the given instance.yaml (and the example's queue plan). */
export function writeInstance(dir: string, instanceText: string, queuePlanText = EXAMPLE_QUEUE_PLAN): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'instance.yaml'), instanceText);
  fs.writeFileSync(path.join(dir, 'queue-plan.yaml'), queuePlanText);
}
