import { ChangeKind, describeResource, FieldChange, ResourceChange, TreeDiff } from './compare';
import { ImmutableChanges, NO_IMMUTABLE_CHANGES, Rejection } from './immutable-changes';

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

/** What a reviewer must know about rejected changes, as one sentence. */
const REJECTED_INTRO = 'Each keeps its name but changes a field the API server does not allow to change: Argo CD applies it in place, the API server refuses, and the sync fails until it is fixed.';

/**
 * A plain-text report: changes the API server will reject first, then one line per resource or
 * file with its changed fields indented below.
 */
export function textReport(diff: TreeDiff, immutable: ImmutableChanges = NO_IMMUTABLE_CHANGES): string {
  const lines: string[] = [];
  if (immutable.rejected.length > 0) {
    lines.push(`Will be rejected by the API server (${immutable.rejected.length}): ${REJECTED_INTRO}`);
    for (const r of immutable.rejected) {
      lines.push(`! ${describeResource(r.id)}  (${r.file})`);
      for (const v of r.violations) lines.push(`    ${v.fields.join(', ')}: ${v.rule.why}`, `      fix: ${v.rule.fix}`);
      if (r.note) lines.push(`    note: ${r.note}`);
    }
    lines.push('');
  }
  for (const r of diff.resources) {
    lines.push(`${SIGN[r.change]} ${describeResource(r.id)}  (${r.file})`);
    const recreated = recreation(r, immutable);
    if (recreated) lines.push(`    ${recreated.outcome} by Argo CD (${recreated.fields.join(', ')} cannot change in place): ${recreated.because}`);
    for (const f of r.fields) lines.push(`    ${f.path}: ${describeField(f, (v) => v)}`);
  }
  for (const f of diff.files) lines.push(`${SIGN[f.change]} file ${f.file}`);
  return `${lines.join('\n')}\n`;
}

function recreation(r: ResourceChange, immutable: ImmutableChanges) {
  return immutable.recreated.find((c) => c.file === r.file && describeResource(c.id) === describeResource(r.id) && c.id.apiVersion === r.id.apiVersion);
}

/**
 * A Markdown report for a pull request comment or a CI job summary: what the API server will
 * reject first, then the changes grouped by kind.
 */
export function markdownReport(diff: TreeDiff, title: string, immutable: ImmutableChanges = NO_IMMUTABLE_CHANGES): string {
  const lines = [`### ${title}`, '', `**${summary(diff)}**`, ''];
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  if (immutable.rejected.length > 0) lines.push(...rejectedSection(immutable.rejected, code));
  for (const change of ['added', 'removed', 'changed'] as const) {
    const resources = diff.resources.filter((r) => r.change === change);
    const files = diff.files.filter((f) => f.change === change);
    if (resources.length + files.length === 0) continue;
    lines.push(`#### ${change[0].toUpperCase()}${change.slice(1)}`, '');
    for (const r of resources) {
      const recreated = recreation(r, immutable);
      lines.push(`- ${code(describeResource(r.id))} in ${code(r.file)}${recreated ? ` — ${recreated.outcome} by Argo CD (${recreated.fields.map(code).join(', ')} cannot change in place): ${recreated.because}` : ''}`);
      for (const f of r.fields) lines.push(`  - ${code(f.path)}: ${describeField(f, code)}`);
    }
    for (const f of files) lines.push(`- file ${code(f.file)}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

function rejectedSection(rejected: readonly Rejection[], code: (s: string) => string): string[] {
  const lines = ['#### ⛔ Will be rejected by the API server', '', REJECTED_INTRO, ''];
  for (const r of rejected) {
    lines.push(`- ${code(describeResource(r.id))} in ${code(r.file)}`);
    for (const v of r.violations) lines.push(`  - ${v.fields.map(code).join(', ')}: ${v.rule.why}. **Fix:** ${v.rule.fix}.`);
    if (r.note) lines.push(`  - Note: ${r.note}.`);
  }
  lines.push('');
  return lines;
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
