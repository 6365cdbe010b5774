// The import rules of lib/ as data, and the checker that test/architecture/layers.test.ts runs.
// Imports are read with TypeScript's own parser (the compiler the project type-checks with), so
// type-only imports, `export … from`, `import('…')` types and `require('…')` all count.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** Layers, from the bottom up. A path belongs to the layer of its longest matching prefix. */
export const LAYERS: readonly { readonly prefix: string; readonly layer: string }[] = [
  { prefix: 'lib/core/', layer: 'core' },
  { prefix: 'lib/catalog/', layer: 'catalog' },
  { prefix: 'lib/config/', layer: 'config' },
  { prefix: 'lib/sizing/', layer: 'sizing' },
  { prefix: 'lib/model/', layer: 'model' },
  { prefix: 'lib/checks/', layer: 'checks' },
  { prefix: 'lib/constructs/common/', layer: 'constructs/common' },
  // lib/constructs/<area>/ is the layer constructs/<area> (see layerOf).
  { prefix: 'lib/charts/', layer: 'charts' },
  { prefix: 'lib/app/', layer: 'app' },
  { prefix: 'lib/cli/', layer: 'cli' },
  { prefix: 'lib/render/', layer: 'render' },
  { prefix: 'lib/validate/', layer: 'validate' },
  { prefix: 'lib/diff/', layer: 'diff' },
  // Generated CRD classes (cdk8s import): only constructs and charts use them.
  { prefix: 'imports/', layer: 'imports' },
];

/**
 * Which layers each layer may import (besides itself, node builtins and npm packages).
 * `constructs/*` stands for every area: an area may import constructs/common, never another area.
 */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  catalog: ['core'],
  config: ['core', 'catalog'],
  sizing: ['core', 'catalog'],
  model: ['core', 'catalog', 'config', 'sizing'],
  checks: ['core', 'catalog', 'config', 'sizing', 'model'],
  'constructs/common': ['core', 'catalog', 'sizing', 'imports'],
  'constructs/*': ['core', 'catalog', 'sizing', 'constructs/common', 'imports'],
  charts: ['core', 'catalog', 'sizing', 'model', 'constructs/common', 'constructs/*', 'imports'],
  app: ['core', 'catalog', 'config', 'sizing', 'model', 'checks', 'charts', 'render', 'validate'],
  cli: ['core', 'catalog', 'config', 'app', 'render', 'validate', 'diff'],
  render: ['core'],
  // Facts about upstream software (e.g. the pod labels the Dragonfly operator really sets) are
  // what the output is checked against, so validate may read the catalog too.
  validate: ['core', 'catalog'],
  diff: ['core'],
  imports: [],
};

export interface Rules {
  readonly layers: readonly { readonly prefix: string; readonly layer: string }[];
  readonly allowed: Readonly<Record<string, readonly string[]>>;
}
export const RULES: Rules = { layers: LAYERS, allowed: ALLOWED };

/** A file → file import, relative to the repository root. */
export interface Edge {
  readonly from: string;
  readonly line: number;
  readonly to: string;
}

/** Every .ts file under `dirs` (relative to root), sorted. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(child);
    }
  };
  for (const dir of dirs) walk(dir);
  return out.sort();
}

/** The module specifiers a file names, with their 1-based lines. */
export function specifiers(fileName: string, text: string): { readonly spec: string; readonly line: number }[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: { spec: string; line: number }[] = [];
  const add = (node: ts.Node, lit: ts.Expression | undefined): void => {
    if (lit && ts.isStringLiteralLike(lit)) out.push({ spec: lit.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node, node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The repository file a relative specifier names, or undefined for packages and builtins. */
function resolve(root: string, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
    const abs = path.join(root, candidate);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) return candidate;
  }
  return base; // unresolved: still an edge, so a rule can flag it
}

/** Every import between repository files under `dirs`. */
export function importGraph(root: string, dirs: readonly string[] = ['lib', 'charts']): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(root, dirs)) {
    for (const { spec, line } of specifiers(file, fs.readFileSync(path.join(root, file), 'utf8'))) {
      const to = resolve(root, file, spec);
      if (to !== undefined) edges.push({ from: file, line, to });
    }
  }
  return edges;
}

/** The layer of a repository path, or undefined when no layer holds it. */
export function layerOf(file: string, rules: Rules = RULES): string | undefined {
  const area = /^lib\/constructs\/([^/]+)\//.exec(file);
  if (area && area[1] !== 'common') return `constructs/${area[1]}`;
  let best: { prefix: string; layer: string } | undefined;
  for (const l of rules.layers) if (file.startsWith(l.prefix) && (!best || l.prefix.length > best.prefix.length)) best = l;
  return best?.layer;
}

function allows(rules: Rules, from: string, to: string): boolean {
  if (from === to) return true;
  const key = from.startsWith('constructs/') && from !== 'constructs/common' ? 'constructs/*' : from;
  const allowed = rules.allowed[key] ?? [];
  if (allowed.includes(to)) return true;
  return to.startsWith('constructs/') && to !== 'constructs/common' && allowed.includes('constructs/*');
}

/** Strongly connected components with more than one member (Tarjan), each sorted, sorted. */
export function cycles(nodes: readonly string[], next: (n: string) => readonly string[]): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!idx.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || next(v).includes(v)) out.push(scc.sort());
    }
  };
  for (const n of nodes) if (!idx.has(n)) connect(n);
  return out.sort((a, b) => a.join().localeCompare(b.join()));
}

/**
 * Every broken rule, one line each, without line numbers (so the list is stable while files change):
 * - `a.ts → b.ts (x → y not allowed)` for an import the table does not allow;
 * - `a.ts → b.ts (missing file)` for a relative import that resolves to nothing;
 * - `cycle: a.ts → b.ts → a.ts` for files that import each other, and `layer cycle: …` for layers;
 * - `a.ts (in no layer)` for a file whose folder the table does not list;
 * - `charts/x.ts (top-level charts/: move it under lib/)`.
 */
export function violations(root: string, edges: readonly Edge[], files: readonly string[], rules: Rules = RULES): string[] {
  const out = new Set<string>();
  for (const file of files) {
    if (file.startsWith('charts/')) out.add(`${file} (top-level charts/: move it under lib/)`);
    else if (layerOf(file, rules) === undefined) out.add(`${file} (in no layer)`);
  }
  for (const e of edges) {
    if (!fs.existsSync(path.join(root, e.to)) && !files.includes(e.to)) {
      out.add(`${e.from} → ${e.to} (missing file)`);
      continue;
    }
    const a = layerOf(e.from, rules);
    const b = e.to.startsWith('charts/') ? 'charts' : layerOf(e.to, rules);
    if (a === undefined || b === undefined) continue; // reported above as in no layer
    if (!allows(rules, a, b)) out.add(`${e.from} → ${e.to} (${a} → ${b} not allowed)`);
  }
  const fileNext = new Map<string, string[]>();
  for (const e of edges) fileNext.set(e.from, [...(fileNext.get(e.from) ?? []), e.to]);
  for (const c of cycles(files, (n) => fileNext.get(n) ?? [])) out.add(`cycle: ${c.join(' → ')} → ${c[0]}`);
  const layerNext = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = layerOf(e.from, rules);
    const b = layerOf(e.to, rules);
    if (a && b && a !== b) layerNext.set(a, (layerNext.get(a) ?? new Set()).add(b));
  }
  const layerNodes = [...new Set([...layerNext.keys(), ...[...layerNext.values()].flatMap((s) => [...s])])].sort();
  for (const c of cycles(layerNodes, (n) => [...(layerNext.get(n) ?? [])])) out.add(`layer cycle: ${c.join(' → ')} → ${c[0]}`);
  return [...out].sort();
}

/** The repository's violations. */
export function repoViolations(root: string, rules: Rules = RULES): string[] {
  const files = sourceFiles(root, ['lib', 'charts']);
  return violations(root, importGraph(root), files, rules);
}
