import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO, runCli } from '../helpers';

/**
 * The cdk8s CLI's own synth, run for real (cdk8s-cli 2.207.60): it runs cdk8s.yaml's `app` with
 * CDK8S_OUTDIR set to `-o <dir>`, `dist`, or a temporary folder whose `.yaml` files it pipes to
 * stdout one after another for `--stdout` (lib/util.js:91-108, 224-236; lib/cli/cmds/synth.js:73,
 * :83-85, :113-116).
 */

const CDK8S = path.join(REPO, 'node_modules', '.bin', 'cdk8s');

function cdk8s(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(CDK8S, ['synth', '--no-check-upgrade', ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir`, relative path → content. */
function tree(dir: string): Map<string, string> {
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
  return new Map(files.sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

const digest = (t: Map<string, string>) => crypto.createHash('sha256').update(JSON.stringify([...t])).digest('hex');

describe('npx cdk8s synth', () => {
  const dist = tree(path.join(REPO, 'dist'));
  const yamlFiles = [...dist.keys()].filter((f) => f.endsWith('.yaml'));

  test('GIVEN -o <dir> WHEN the cdk8s CLI synthesizes THEN <dir> holds exactly the committed dist/', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-o-')), 'out');
    const result = cdk8s(['-o', out]);
    expect(result.status).toBe(0);
    expect(tree(out)).toEqual(dist);
  }, 120_000);

  test('GIVEN --stdout WHEN the cdk8s CLI synthesizes THEN stdout is a YAML stream of every rendered object, and dist/ is left as it was', () => {
    const before = digest(tree(path.join(REPO, 'dist')));
    const result = cdk8s(['--stdout']);
    expect(result.status).toBe(0);
    const docs = parseAllDocuments(result.stdout);
    expect(docs.filter((d) => d.errors.length > 0)).toEqual([]);
    const objects = docs.map((d) => d.toJS());
    expect(objects).toHaveLength(yamlFiles.length);
    // The CLI's order varies from run to run (one stream per file): compare as sets.
    const ids = (os: any[]) => os.map((o) => `${o.metadata.namespace ?? ''}/${o.kind}/${o.metadata.name}`).sort();
    expect(ids(objects)).toEqual(ids(yamlFiles.map((f) => parseAllDocuments(dist.get(f)!)[0].toJS())));
    expect(digest(tree(path.join(REPO, 'dist')))).toBe(before);
  }, 120_000);

  test('GIVEN every rendered YAML file THEN it opens with a document marker (what keeps the --stdout stream apart)', () => {
    expect(yamlFiles.filter((f) => !dist.get(f)!.startsWith('---\n'))).toEqual([]);
  });

  test('GIVEN synth --cdk8s-outdir without the cdk8s CLI (no CDK8S_OUTDIR) THEN it fails saying what the flag is for, writing nothing', async () => {
    const saved = process.env.CDK8S_OUTDIR;
    delete process.env.CDK8S_OUTDIR;
    try {
      const result = await runCli(['synth', '--cdk8s-outdir']);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('error: CDK8S_OUTDIR: is not set; --cdk8s-outdir is for the cdk8s CLI (npx cdk8s synth sets it); otherwise run npm run synth or mastodon-cdk8s synth --out <dir>\n');
    } finally {
      if (saved !== undefined) process.env.CDK8S_OUTDIR = saved;
    }
  });
});
