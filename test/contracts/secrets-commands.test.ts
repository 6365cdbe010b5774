import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir, renderExample } from '../helpers';

/**
 * SECRETS.md's commands run by bash against a fake kubectl that records its arguments and what it
 * reads: no value ever reaches a command line (shell history, `ps`), and kubectl gets the exact
 * bytes typed (`--from-file=<key>=/dev/stdin` reads the file whole, no newline added:
 * kubectl staging/src/k8s.io/kubectl/pkg/cmd/create/create_secret.go addKeyFromFileToSecret).
 */
describe('SECRETS.md commands keep values out of argv and history', () => {
  const doc = renderExample().get('example/SECRETS.md')!;
  const script = /```sh\n([\s\S]*?)```/.exec(doc)![1];

  test('GIVEN the example THEN no command carries a value or a placeholder for one', () => {
    expect(script).not.toContain('--from-literal');
    expect(script).not.toMatch(/=\.\.\./);
  });

  test('GIVEN the one-key commands run with a typed value THEN kubectl reads it from stdin and never sees it in argv', () => {
    const dir = tempDir();
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const log = path.join(dir, 'log');
    // The fake kubectl: one line of argv, then what it read from /dev/stdin when asked to.
    fs.writeFileSync(path.join(bin, 'kubectl'), `#!/bin/bash\nprintf 'argv:%s\\n' "$*" >> "${log}"\nfor a in "$@"; do case "$a" in *=/dev/stdin) printf 'stdin:%s\\n' "$(cat)" >> "${log}";; esac; done\n`, { mode: 0o755 });
    const oneKey = script.split('\n').filter((l) => l.startsWith('read -rs value'));
    expect(oneKey.length).toBeGreaterThan(2);
    const input = oneKey.map((_, i) => `s3cret value ${i}`).join('\n') + '\n';
    const run = spawnSync('bash', ['-c', oneKey.join('\n')], { input, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(run.status).toBe(0);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.filter((l) => l.startsWith('argv:')).every((l) => !l.includes('s3cret'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('stdin:'))).toEqual(oneKey.map((_, i) => `stdin:s3cret value ${i}`));
  });
});
