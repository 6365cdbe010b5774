import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadInstance } from '../../lib/app/load';
import { buildModel } from '../../lib/model/build';
import { WITHHELD_PASSWORD } from '../../lib/constructs/mastodon/create-owner';
import { exampleAtVersion, exampleVariant, objectAt, problemsOf, replaceOnce, tempDir, renderedFiles } from '../helpers';

const OWNER = '  owner: { username: Alice_Admin, email: alice@example.social }\n';
const withOwner = (t: string) => replaceOnce(t, '  defaultLocale: en\n', `  defaultLocale: en\n${OWNER}`);
const JOB = 'variant/operations/Job.create-owner-alice-admin.yaml';

function render(edit: (text: string) => string = withOwner) {
  return renderedFiles(exampleVariant({ instance: edit }));
}

describe('the first owner (mastodon.owner)', () => {
  // GIVEN the example with an owner WHEN rendered
  const files = render();
  const job = objectAt(files, JOB);
  const container = job.spec.template.spec.containers[0];

  test('THEN one plain Job named for the username runs tootctl accounts create with Owner, confirmed and approved, once', () => {
    expect(container.command.slice(0, 5)).toEqual(['bash', '-o', 'pipefail', '-e', '-c']);
    // The script's arguments: $0, then tootctl's words (glitch-soc/mastodon@v4.6.0 lib/mastodon/cli/accounts.rb:43-48).
    expect(container.command.slice(6)).toEqual(['create-owner-alice-admin', 'accounts', 'create', 'Alice_Admin', '--email', 'alice@example.social', '--confirmed', '--approve', '--role', 'Owner']);
    expect(container.command[5]).toMatch(/^bin\/tootctl "\$@" \| sed -u '/);
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.metadata.annotations?.['argocd.argoproj.io/hook']).toBeUndefined();
    expect(container.image).toBe('ghcr.io/mastodon/mastodon:v4.7.2');
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'mastodon-env' } }]);
  });

  test('THEN its Application ignores the Job\'s spec, so a new image or environment never re-creates it', () => {
    const app = objectAt(files, 'variant/argocd/Application.variant-operations.yaml');
    expect(app.spec.ignoreDifferences).toContainEqual(expect.objectContaining({ group: 'batch', kind: 'Job', name: 'create-owner-alice-admin' }));
    const bumped = render((t) => withOwner(replaceOnce(t, 'version: v4.7.2', 'version: v4.7.3')));
    expect([...bumped.keys()].filter((f) => f.includes('create-owner'))).toEqual([JOB]);
  });

  test('THEN it counts one pooled connection in the budget', () => {
    const model = buildModel(loadInstance(exampleVariant({ instance: withOwner })));
    expect(model.jobs.owner?.db).toEqual({ name: 'create-owner job', connections: 1, formula: 'tootctl accounts create', via: 'pool' });
    expect(model.connections.uses).toContainEqual(model.jobs.owner?.db);
  });

  test('GIVEN no owner THEN no Job', () => {
    expect([...render((t) => t).keys()].filter((f) => f.includes('create-owner'))).toEqual([]);
  });

  test.each([
    ['alice.admin', /mastodon\.owner\.username: "alice\.admin" is not allowed; allowed: letters, digits and _/],
    ['___', /mastodon\.owner\.username: "___" is not allowed/],
    ['a'.repeat(31), /mastodon\.owner\.username/],
  ])('GIVEN the username %s THEN refused, saying what Mastodon allows', (username, message) => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  defaultLocale: en\n', `  defaultLocale: en\n  owner: { username: "${username}", email: a@b.c }\n`) });
    expect(problemsOf(dir).join('\n')).toMatch(message);
  });

  test('GIVEN Mastodon 4.3 THEN the same flags (v4.3.0 accounts.rb:46-51)', () => {
    const old = render((t) => withOwner(exampleAtVersion(t, 'v4.3.9')));
    const c = objectAt(old, JOB).spec.template.spec.containers[0];
    expect(c.command.slice(7)).toEqual(['accounts', 'create', 'Alice_Admin', '--email', 'alice@example.social', '--confirmed', '--approve', '--role', 'Owner']);
  });

  describe('GIVEN the rendered command run by the real bash and sed against a stand-in tootctl', () => {
    /** Runs the container's command in a folder whose bin/tootctl prints what upstream's does (accounts.rb:113-114) and exits with `status`. */
    function runWith(status: number) {
      const dir = tempDir();
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.writeFileSync(path.join(dir, 'bin', 'tootctl'), `#!/bin/sh\necho "args: $*"\necho OK\necho "New password: 0123456789abcdef0123456789abcdef"\nexit ${status}\n`, { mode: 0o755 });
      const [program, ...args] = container.command as string[];
      return spawnSync(program, args, { cwd: dir, encoding: 'utf8' });
    }

    test('THEN the arguments arrive as words, the password never reaches the log, and OK does', () => {
      const result = runWith(0);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(`args: accounts create Alice_Admin --email alice@example.social --confirmed --approve --role Owner\nOK\n${WITHHELD_PASSWORD}\n`);
      expect(result.stdout).not.toMatch(/[0-9a-f]{32}/);
    });

    test('THEN tootctl\'s failure (an existing account: report_errors, exit 1) fails the Job', () => {
      expect(runWith(1).status).toBe(1);
    });
  });
});
