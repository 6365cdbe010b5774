import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseDocument } from 'yaml';
import { POSTGRES_IMAGES, RCLONE_IMAGE } from '../../lib/catalog/backup-images';
import { DRAGONFLY_IMAGE } from '../../lib/catalog/dragonfly';
import { MASTODON_IMAGE, STREAMING_IMAGE } from '../../lib/catalog/mastodon-images';
import { PLATFORM_OPERATORS } from '../../lib/catalog/operators';
import { findInstanceDirs, INSTANCE_FILE } from '../../lib/config/load';
import { DEFAULTS_FOLDER } from '../../lib/config/shared-defaults';
import { EXAMPLE_DIR, GATEWAY_EXAMPLE_DIR, REPO, renderedFiles } from '../helpers';

/**
 * renovate.json's custom managers, run the way Renovate runs them: each `managerFilePatterns`
 * entry written `/…/` is a regex over the path from the repository root, and each `matchStrings`
 * entry is compiled with the `g` flag only (renovate 44.121.2
 * dist/modules/manager/custom/regex/strategies.js:9, the default matchStringsStrategy "any"), so
 * `^` anchors the start of the file. The expected pins come from the catalog, the instances' files
 * and the rendered dist/, never from these regexes: a version pinned anywhere without a manager
 * that finds it fails here.
 *
 * The config itself was validated with Renovate's own validator, which is too large (341 MB) to
 * install with the project: `npx -y renovate@44.121.2 renovate-config-validator --strict
 * --no-global renovate.json` → "Config validated successfully" (see README: Renovate).
 */

interface CustomManager {
  readonly customType: string;
  readonly description?: string;
  readonly managerFilePatterns: readonly string[];
  readonly matchStrings: readonly string[];
  readonly depNameTemplate?: string;
  readonly datasourceTemplate?: string;
  readonly versioningTemplate?: string;
  readonly [key: string]: unknown;
}

interface RenovateConfig {
  readonly customManagers: readonly CustomManager[];
  readonly gitIgnoredAuthors?: readonly string[];
  readonly packageRules: readonly Record<string, unknown>[];
  readonly [key: string]: unknown;
}

/** A dependency as Renovate would extract it. */
interface Dep {
  readonly file: string;
  readonly depName: string;
  readonly currentValue: string;
  readonly datasource: string;
}

const config = JSON.parse(fs.readFileSync(path.join(REPO, 'renovate.json'), 'utf8')) as RenovateConfig;

/** Every file of the repository, relative to its root, except what git or npm own. */
function repositoryFiles(dir = REPO): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (['.git', 'node_modules', '.schemas'].includes(entry.name)) return [];
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? repositoryFiles(full) : [path.relative(REPO, full).split(path.sep).join('/')];
  });
}

/** `/regex/` (Renovate's form for a regex; anything else is a glob, which these managers do not use). */
function filePattern(pattern: string): RegExp {
  const match = /^\/(.+)\/$/.exec(pattern);
  if (!match) throw new Error(`managerFilePatterns entry ${pattern} is not a /regex/`);
  return new RegExp(match[1]);
}

function extract(manager: CustomManager, file: string, text: string): Dep[] {
  return manager.matchStrings.flatMap((source) => [...text.matchAll(new RegExp(source, 'g'))].map((m) => {
    const groups = m.groups ?? {};
    return {
      file,
      depName: groups.depName ?? manager.depNameTemplate ?? '',
      currentValue: groups.currentValue ?? '',
      datasource: groups.datasource ?? manager.datasourceTemplate ?? '',
    };
  }));
}

function runManagers(files: ReadonlyMap<string, string>, managers = config.customManagers): Dep[] {
  return managers.flatMap((manager) => {
    const patterns = manager.managerFilePatterns.map(filePattern);
    return [...files].filter(([file]) => patterns.some((p) => p.test(file))).flatMap(([file, text]) => extract(manager, file, text));
  });
}

const key = (d: Pick<Dep, 'depName' | 'currentValue' | 'datasource'>) => `${d.datasource} ${d.depName}:${d.currentValue}`;

function splitImage(image: string): { depName: string; currentValue: string; datasource: string } {
  const at = image.lastIndexOf(':');
  return { depName: image.slice(0, at), currentValue: image.slice(at + 1), datasource: 'docker' };
}

describe('renovate.json', () => {
  describe('GIVEN its shape', () => {
    test('THEN every custom manager is a regex manager with the fields Renovate needs to look a dependency up', () => {
      expect(config.customManagers.length).toBeGreaterThan(0);
      for (const m of config.customManagers) {
        expect(m.customType).toBe('regex');
        // `fileMatch` was renamed; --strict fails with "Config migration necessary".
        expect(m).not.toHaveProperty('fileMatch');
        expect(m.managerFilePatterns.length).toBeGreaterThan(0);
        for (const p of m.managerFilePatterns) expect(() => filePattern(p)).not.toThrow();
        for (const s of m.matchStrings) {
          const groups = new RegExp(`${s}|`).exec('')?.groups ?? {};
          expect(Object.keys(groups)).toContain('currentValue');
          expect('depName' in groups || m.depNameTemplate !== undefined).toBe(true);
          expect('datasource' in groups || m.datasourceTemplate !== undefined).toBe(true);
        }
      }
    });

    test('THEN every regex is one RE2 accepts (the hosted app runs RE2): no lookaround, backreference or inline flag', () => {
      // RE2 syntax (github.com/google/re2/wiki/Syntax): (?=, (?!, (?<=, (?<!, \1 and \k<name> are
      // "NOT SUPPORTED"; Renovate rejects inline flags such as (?m) as an invalid regExp.
      const unsupported = /\(\?[=!]|\(\?<[=!]|\\[1-9]|\\k<|\(\?[imsU]+[:)]/;
      for (const m of config.customManagers) {
        for (const s of [...m.matchStrings, ...m.managerFilePatterns]) expect(s).not.toMatch(unsupported);
      }
    });

    test('THEN the author of the rendered commits in Renovate branches is ignored, so Renovate keeps rebasing them', () => {
      const workflow = fs.readFileSync(path.join(REPO, '.github', 'workflows', 'ci.yml'), 'utf8');
      const email = /git config user\.email '([^']+)'/.exec(workflow)?.[1];
      expect(email).toBeDefined();
      expect(config.gitIgnoredAuthors).toContain(email);
    });

    test('THEN a Mastodon release is one pull request, and a new release line waits for the catalog', () => {
      const mastodon = config.packageRules.filter((r) => (r.matchDepNames as string[] | undefined)?.includes(MASTODON_IMAGE));
      expect(mastodon.some((r) => r.separateMinorPatch === true && r.separateMultipleMinor === true)).toBe(true);
      expect(mastodon.some((r) => (r.matchUpdateTypes as string[] | undefined)?.includes('minor') && (r.addLabels as string[]).includes('needs-catalog-update'))).toBe(true);
      // POSTGRES_IMAGES is keyed by major: a major bump of one entry would break the key.
      expect(config.packageRules).toContainEqual(expect.objectContaining({ matchDepNames: ['postgres'], matchUpdateTypes: ['major'], enabled: false }));
    });
  });

  describe('GIVEN the repository', () => {
    const files = new Map(repositoryFiles().filter((f) => !f.startsWith('dist/') && !f.startsWith('test/')).map((f) => [f, fs.readFileSync(path.join(REPO, f), 'utf8')]));
    const found = runManagers(files);

    /** What the repository pins: the instances' versions, the catalog's images and charts. */
    function expectedPins(): Dep[] {
      const instanceFiles = [
        ...findInstanceDirs(path.join(REPO, 'config')).map((dir) => path.join(dir, INSTANCE_FILE)),
        path.join(REPO, 'config', DEFAULTS_FOLDER, INSTANCE_FILE),
      ].filter((f) => fs.existsSync(f));
      const versions = instanceFiles.flatMap((f) => {
        const version = parse(fs.readFileSync(f, 'utf8'))?.mastodon?.version as string | undefined;
        return version ? [{ file: path.relative(REPO, f).split(path.sep).join('/'), depName: MASTODON_IMAGE, currentValue: version, datasource: 'docker' }] : [];
      });
      const images = [...Object.values(POSTGRES_IMAGES), RCLONE_IMAGE, DRAGONFLY_IMAGE].map((image) => ({ file: '', ...splitImage(image) }));
      const charts = Object.values(PLATFORM_OPERATORS).map(({ chart }) => chart.chart
        ? { file: '', depName: chart.chart, currentValue: chart.version, datasource: 'helm' }
        : { file: '', depName: chart.repoURL.replace(/^oci:\/\//, ''), currentValue: chart.version, datasource: 'docker' });
      return [...versions, ...images, ...charts];
    }

    test('THEN the managers find every pinned version, and nothing else', () => {
      const expected = expectedPins();
      expect(expected.length).toBeGreaterThan(Object.keys(PLATFORM_OPERATORS).length);
      expect(new Set(found.map(key))).toEqual(new Set(expected.map(key)));
    });

    test('THEN each instance file\'s version is found once, in that file', () => {
      for (const pin of expectedPins().filter((p) => p.depName === MASTODON_IMAGE)) {
        expect(found.filter((d) => d.file === pin.file && d.depName === MASTODON_IMAGE)).toEqual([pin]);
      }
    });

    test('THEN no pin is found twice (two managers would fight over one line)', () => {
      const all = found.map((d) => `${d.file} ${key(d)}`);
      expect(all.length).toBe(new Set(all).size);
    });

    test('THEN every image:tag literal in lib/ is found (a pin outside lib/catalog/ has no manager)', () => {
      const literal = /['"`]((?:[a-z0-9.-]+\/)*[a-z0-9._-]+:v?\d+\.\d+[^'"`\s@]*)['"`]/g;
      const inLib = [...files].filter(([f]) => f.startsWith('lib/') && f.endsWith('.ts'))
        .flatMap(([, text]) => [...text.matchAll(literal)].map((m) => key(splitImage(m[1]))));
      expect(inLib.length).toBeGreaterThan(0);
      const foundKeys = new Set(found.map(key));
      expect(inLib.filter((k) => !foundKeys.has(k))).toEqual([]);
    });

    test('THEN every image and chart version the example fixtures render is one the managers find (or Mastodon\'s, set per instance)', () => {
      const foundKeys = new Set(found.map(key));
      const rendered = [EXAMPLE_DIR, GATEWAY_EXAMPLE_DIR].flatMap((dir) => [...renderedFiles(dir)]).filter(([f]) => f.endsWith('.yaml'));
      expect(rendered.length).toBeGreaterThan(0);
      const missing: string[] = [];
      for (const [file, text] of rendered) {
        for (const [, image] of text.matchAll(/^\s*(?:- )?image: "?([^"\s]+)"?$/gm)) {
          const dep = splitImage(image);
          const mastodon = [MASTODON_IMAGE, STREAMING_IMAGE].includes(dep.depName);
          if (!mastodon && !foundKeys.has(key(dep))) missing.push(`${file}: ${image}`);
        }
        if (path.basename(file).startsWith('Application.')) {
          const source = parseDocument(text).toJS()?.spec?.source as { repoURL: string; chart?: string; targetRevision: string } | undefined;
          if (!source || (!source.chart && !source.repoURL.startsWith('oci://'))) continue;
          const dep = source.chart
            ? { depName: source.chart, currentValue: source.targetRevision, datasource: 'helm' }
            : { depName: source.repoURL.replace(/^oci:\/\//, ''), currentValue: source.targetRevision, datasource: 'docker' };
          if (!foundKeys.has(key(dep))) missing.push(`${file}: ${key(dep)}`);
        }
      }
      expect(missing).toEqual([]);
    });
  });

  describe('GIVEN an operator chart bump (a Renovate pull request)', () => {
    /**
     * The CRDs the render is typed and validated against (cdk8s.yaml `imports`, raw GitHub URLs at
     * a release tag) must be those of the pinned chart's release, so a chart bump fails here until
     * the CRD pins follow (`npm run import` after editing cdk8s.yaml; README: Renovate).
     */
    const CRD_SOURCES: Readonly<Record<string, string>> = {
      'cert-manager': 'cert-manager/cert-manager',
      'dragonfly-operator': 'dragonflydb/dragonfly-operator',
      keda: 'kedacore/keda',
      'external-secrets': 'external-secrets/external-secrets',
    };
    const imports = (parse(fs.readFileSync(path.join(REPO, 'cdk8s.yaml'), 'utf8')) as { imports: string[] }).imports;

    test.each(Object.entries(CRD_SOURCES))('THEN the CRDs pinned for %s are from its chart\'s release', (operator, repo) => {
      const version = PLATFORM_OPERATORS[operator as keyof typeof PLATFORM_OPERATORS].chart.version;
      const tags = imports.filter((i) => i.includes(`githubusercontent.com/${repo}/`)).map((i) => i.split(`/${repo}/`)[1].split('/')[0]);
      expect(tags.length).toBeGreaterThan(0);
      for (const tag of tags) expect(tag.replace(/^v/, '')).toBe(version.replace(/^v/, ''));
    });
  });

  describe('GIVEN mastodon.version written in the ways YAML allows', () => {
    const mastodonManager = config.customManagers.filter((m) => m.depNameTemplate === MASTODON_IMAGE);
    const run = (text: string) => runManagers(new Map([['config/a/instance.yaml', text]]), mastodonManager).map((d) => d.currentValue);
    const cases: [string, string][] = [
      ['block style, first line', 'mastodon:\n  version: v4.7.2\n'],
      ['after other keys and a comment', '# c\nnamespace: x\nmastodon:\n  localDomain: a.b # x\n\n  # the release\n  version: v4.7.3\nweb: {}\n'],
      ['a comment at column 0 inside the block', 'mastodon:\n  localDomain: a.b\n# moved\n  version: v4.6.5\n'],
      ['a comment after the key', 'mastodon: # the app\n  version: "v4.5.1"\n'],
      ['single quotes', "mastodon:\n    version: 'v4.4.9'\n"],
      ['flow style', 'mastodon: { localDomain: a.b, version: v4.7.2 }\n'],
      ['flow style, first key', 'mastodon: {version: v4.7.2}\n'],
    ];
    test.each(cases)('WHEN %s THEN the manager finds what the YAML parser reads', (_, text) => {
      expect(run(text)).toEqual([parse(text).mastodon.version]);
    });

    test('WHEN a version belongs to another section THEN it is not taken for Mastodon\'s', () => {
      expect(run('search:\n  version: v4.7.2\nmastodon:\n  localDomain: a.b\nweb:\n  version: v1.2.3\n')).toEqual([]);
      expect(run('xmastodon:\n  version: v4.7.2\n')).toEqual([]);
      expect(run('mastodon:\n  localDomain: a.b\nredis: { version: v4.7.2 }\n')).toEqual([]);
    });
  });
});
