import { ChangeKind, describeResource, FieldChange, lineDiff, ResourceChange, TreeDiff } from './compare';
import { ImmutableChanges, NO_IMMUTABLE_CHANGES, Rejection } from './immutable-changes';
import { hasSecretChanges, NO_SECRET_CHANGES, SecretChanges, SecretGroup } from './secrets';

const SIGN: Readonly<Record<ChangeKind, string>> = { added: '+', removed: '-', changed: '~', renamed: '>' };

/** "2 added, 1 removed, 3 changed" over resources and files. */
export function summary(diff: TreeDiff): string {
  const all = [...diff.resources, ...diff.files];
  const counts = (['added', 'removed', 'renamed', 'changed'] as const)
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
export function textReport(diff: TreeDiff, immutable: ImmutableChanges = NO_IMMUTABLE_CHANGES, secrets: SecretChanges = NO_SECRET_CHANGES): string {
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
  if (hasSecretChanges(secrets)) lines.push(...secretLines(secrets, (x) => x).map((l) => l.replace(/^#### 🔑 /, '').replace(/^- /, '  ')), '');
  for (const r of diff.resources) {
    lines.push(r.renamedFrom ? `${SIGN[r.change]} ${renameSentence(r, (x) => x)}` : `${SIGN[r.change]} ${describeResource(r.id)}  (${r.file})`);
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
export function markdownReport(diff: TreeDiff, title: string, immutable: ImmutableChanges = NO_IMMUTABLE_CHANGES, secrets: SecretChanges = NO_SECRET_CHANGES, planDelta: readonly string[] = []): string {
  // The plan delta (`planDeltaLines`) on top: what the change asks of the cluster.
  const lines = [`### ${title}`, '', `**${summary(diff)}**`, '', ...planDelta];
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  if (immutable.rejected.length > 0) lines.push(...rejectedSection(immutable.rejected, code));
  // A Secret missing at sync time keeps pods from starting: it comes right after what will fail.
  if (hasSecretChanges(secrets)) lines.push(...secretLines(secrets, code), '');
  for (const change of ['added', 'removed', 'renamed', 'changed'] as const) {
    const resources = diff.resources.filter((r) => r.change === change);
    const files = diff.files.filter((f) => f.change === change);
    if (resources.length + files.length === 0) continue;
    lines.push(`#### ${change[0].toUpperCase()}${change.slice(1)}`, '');
    for (const r of resources) {
      const recreated = recreation(r, immutable);
      if (r.renamedFrom) {
        lines.push(`- ${renameSentence(r, code)}`);
        for (const f of r.fields) lines.push(...markdownField(f, code));
        continue;
      }
      lines.push(`- ${code(describeResource(r.id))} in ${code(r.file)}${recreated ? ` — ${recreated.outcome} by Argo CD (${recreated.fields.map(code).join(', ')} cannot change in place): ${recreated.because}` : ''}`);
      for (const f of r.fields) lines.push(...markdownField(f, code));
    }
    for (const f of files) lines.push(`- file ${code(f.file)}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

/**
 * `Deployment mastodon/sidekiq-ingress renamed to sidekiq-inbound: Argo CD deletes the old
 * Deployment and creates the new one …`: a rename is a delete and a create for Kubernetes.
 */
export function renameSentence(r: ResourceChange, code: (s: string) => string): string {
  const from = r.renamedFrom!;
  const kind = r.id.kind;
  const consequence = RENAME_CONSEQUENCES[kind] ?? '';
  const beyond = r.fields.length > 0 ? `; beyond the name, ${r.fields.length === 1 ? 'one field changes' : `${r.fields.length} fields change`}:` : '; nothing else changes';
  return `${code(describeResource(from.id))} renamed to ${code(r.id.name)} (${code(r.file)}): Argo CD deletes the old ${kind} and creates the new one${consequence}${beyond}`;
}

/** What a delete and create means per kind, beyond the object itself. */
const RENAME_CONSEQUENCES: Readonly<Record<string, string>> = {
  Deployment: ' (the old pods stop when it is pruned; the new ones start from scratch)',
  StatefulSet: ' (the old pods stop; volumes of the old name are not reused)',
  Dragonfly: ' (the new Dragonfly starts empty: its data is not carried over)',
  PersistentVolumeClaim: ' (the new volume starts empty)',
  Service: ' (clients that use the old name stop reaching it)',
  PodDisruptionBudget: '',
  Secret: ' (pods that still read the old name fail to start)',
};

/** The Secrets to create before merging and those no longer read, by Secret with their keys. */
function secretLines(secrets: SecretChanges, code: (s: string) => string): string[] {
  const keys = (g: SecretGroup) => {
    const byKey = new Map<string, string[]>();
    for (const u of g.uses) byKey.set(u.key, [...(byKey.get(u.key) ?? []), u.readAs]);
    return [...byKey].map(([key, readers]) => `${key === '*' ? 'every key' : `key ${code(key)}`} (read as ${readers.map(code).join(', ')})`).join('; ');
  };
  const id = (g: SecretGroup) => code(`${g.namespace}/${g.name}`);
  const lines = ['#### 🔑 Secrets', ''];
  if (secrets.newSecrets.length + secrets.newKeys.length > 0) {
    lines.push('Create before merging (a pod that reads a missing Secret or key does not start; see SECRETS.md for the commands):', '');
    for (const g of secrets.newSecrets) lines.push(`- new Secret ${id(g)}: ${keys(g)}`);
    for (const g of secrets.newKeys) lines.push(`- new in Secret ${id(g)}: ${keys(g)}`);
    lines.push('');
  }
  if (secrets.unusedSecrets.length + secrets.unusedKeys.length > 0) {
    lines.push('No longer read (delete after the sync, unless something outside this repository reads them):', '');
    for (const g of secrets.unusedSecrets) lines.push(`- Secret ${id(g)}: ${keys(g)}`);
    for (const g of secrets.unusedKeys) lines.push(`- in Secret ${id(g)}: ${keys(g)}`);
    lines.push('');
  }
  return lines.slice(0, -1);
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

/** A value in full: a reviewer must see what differs, however long. */
function show(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** Texts of this many lines or more fold into `<details>`. */
const FOLD_LINES = 20;

/**
 * One changed field as Markdown list lines: a multi-line text (a script, a config file) as a
 * fenced line diff, folded when long; any other value in full.
 */
function markdownField(f: FieldChange, code: (s: string) => string): string[] {
  const text = (v: unknown) => typeof v === 'string' && v.includes('\n');
  if (!(text(f.before) || text(f.after)) || !('before' in f && 'after' in f) || typeof f.before !== 'string' || typeof f.after !== 'string') {
    return [`  - ${code(f.path)}: ${describeField(f, code)}`];
  }
  const diff = lineDiff(f.before, f.after);
  const fence = '`'.repeat(Math.max(3, ...[...`${f.before}\n${f.after}`.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  const block = [`${fence}diff`, ...diff, fence].map((l) => `    ${l}`);
  const changed = diff.filter((l) => !l.startsWith(' ')).length;
  if (diff.length < FOLD_LINES) return [`  - ${code(f.path)}: text changed (${changed} lines)`, '', ...block, ''];
  return [`  - ${code(f.path)}: text changed (${changed} lines)`, '', '    <details><summary>line diff</summary>', '', ...block, '', '    </details>', ''];
}
