import { ChangeKind, describeResource, FieldChange, TreeDiff } from './compare';

/** Values longer than this are cut in reports. */
const MAX_VALUE_LENGTH = 80;

const SIGN: Readonly<Record<ChangeKind, string>> = { added: '+', removed: '-', changed: '~' };

/** "2 added, 1 removed, 3 changed" over resources and files. */
export function summary(diff: TreeDiff): string {
  const all = [...diff.resources, ...diff.files];
  const counts = (['added', 'removed', 'changed'] as const)
    .map((change) => [change, all.filter((c) => c.change === change).length] as const)
    .filter(([, n]) => n > 0)
    .map(([change, n]) => `${n} ${change}`);
  return counts.length > 0 ? counts.join(', ') : 'no changes';
}

/** A plain-text report: one line per resource or file, its changed fields indented below. */
export function textReport(diff: TreeDiff): string {
  const lines: string[] = [];
  for (const r of diff.resources) {
    lines.push(`${SIGN[r.change]} ${describeResource(r.id)}  (${r.file})`);
    for (const f of r.fields) lines.push(`    ${f.path}: ${describeField(f, (v) => v)}`);
  }
  for (const f of diff.files) lines.push(`${SIGN[f.change]} file ${f.file}`);
  return `${lines.join('\n')}\n`;
}

/** A Markdown report for a pull request comment or a CI job summary. */
export function markdownReport(diff: TreeDiff, title: string): string {
  const lines = [`### ${title}`, '', `**${summary(diff)}**`, ''];
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  for (const change of ['added', 'removed', 'changed'] as const) {
    const resources = diff.resources.filter((r) => r.change === change);
    const files = diff.files.filter((f) => f.change === change);
    if (resources.length + files.length === 0) continue;
    lines.push(`#### ${change[0].toUpperCase()}${change.slice(1)}`, '');
    for (const r of resources) {
      lines.push(`- ${code(describeResource(r.id))} in ${code(r.file)}`);
      for (const f of r.fields) lines.push(`  - ${code(f.path)}: ${describeField(f, code)}`);
    }
    for (const f of files) lines.push(`- file ${code(f.file)}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

function describeField(f: FieldChange, quote: (s: string) => string): string {
  if (!('before' in f)) return `added ${quote(show(f.after))}`;
  if (!('after' in f)) return `removed (was ${quote(show(f.before))})`;
  return `${quote(show(f.before))} → ${quote(show(f.after))}`;
}

function show(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json.length > MAX_VALUE_LENGTH ? `${json.slice(0, MAX_VALUE_LENGTH - 1)}…` : json;
}
