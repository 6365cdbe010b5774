import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleVariant, REPO, runCli, tempDir } from '../helpers';

// `import * as fs` gives a copy of the module's bindings; spies go on the module object itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const realFs: typeof fs = require('node:fs');

/**
 * A repository-like folder: `config/<id>/` for each id (the example's files, each instance in its
 * own namespace), and `dist/<id>/` as an earlier render left it (rendering is not what these tests
 * are about, and costs time). The tests run the CLI inside it.
 */
async function renderedRepo(ids: readonly string[] = ['one', 'two']): Promise<string> {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'config'));
  for (const id of ids) {
    const own = (t: string) => t.replace('namespace: mastodon', `namespace: ${id}`).replace('  user: doadmin\n', `  user: doadmin\n  prefix: ${id}\n`)
      .replace('  # operators: auto', id === ids[0] ? '  # operators: auto' : '  operators: none #');
    fs.renameSync(exampleVariant({ instance: own }, id), path.join(root, 'config', id));
    fs.mkdirSync(path.join(root, 'dist', id, 'mastodon'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', id, 'SECRETS.md'), `# Secrets of instance \`${id}\`\n`);
    fs.writeFileSync(path.join(root, 'dist', id, 'mastodon', 'Deployment.web.yaml'), 'kind: Deployment\n');
  }
  return root;
}

async function inRepo(root: string, args: string[]) {
  const cwd = process.cwd();
  process.chdir(root);
  try {
    return await runCli(args);
  } finally {
    process.chdir(cwd);
  }
}

/** Everything under `dir`, byte for byte, with each entry's kind (links by target). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const file = path.join(rel, name);
      const stat = fs.lstatSync(path.join(dir, file));
      if (stat.isSymbolicLink()) out[file] = `link → ${fs.readlinkSync(path.join(dir, file))}`;
      else if (stat.isDirectory()) walk(file);
      else if (stat.isFile()) out[file] = fs.readFileSync(path.join(dir, file)).toString('base64');
      else out[file] = 'special';
    }
  };
  walk('');
  return out;
}

/** The CLI's promise for bad input: exit 1, the message, no stack trace. */
function expectCleanError(result: { code: number; stderr: string }, message: string | RegExp) {
  expect(result.code).toBe(1);
  if (typeof message === 'string') expect(result.stderr).toContain(message);
  else expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
}

function errnoError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${file}'`), { code, syscall, path: file });
}

describe('an instance file that cannot be read is an error naming it, never a silent skip', () => {
  const cases: Array<[string, (file: string) => void, string]> = [
    ['a dangling symbolic link', (f) => fs.symlinkSync('moved-away.yaml', f), 'config/two/instance.yaml:1:1: is a symbolic link to moved-away.yaml, which does not exist'],
    ['a symbolic link loop', (f) => fs.symlinkSync(path.basename(f), f), 'config/two/instance.yaml:1:1: is a symbolic link loop (a link that leads back to itself)'],
    ['a folder', (f) => fs.mkdirSync(f), 'config/two/instance.yaml:1:1: is a folder, not a file; expected a regular YAML file'],
    ['a FIFO (whose read would block forever)', (f) => execFileSync('mkfifo', [f]), 'config/two/instance.yaml:1:1: is a FIFO (named pipe), not a file; expected a regular YAML file'],
    ['a link to /dev/zero (endless)', (f) => fs.symlinkSync('/dev/zero', f), 'config/two/instance.yaml:1:1: is a character device, not a file; expected a regular YAML file'],
  ];
  test.each(cases)('GIVEN instance.yaml that is %s WHEN all is rendered THEN exit 1 with its name, and config/ and dist/ unchanged', async (_, make, message) => {
    const root = await renderedRepo();
    const file = path.join(root, 'config', 'two', 'instance.yaml');
    fs.rmSync(file);
    make(file);
    const before = { config: snapshot(path.join(root, 'config')), dist: snapshot(path.join(root, 'dist')) };
    const result = await inRepo(root, ['synth']);
    expectCleanError(result, `error: invalid configuration\n${message}\n`);
    // THEN instance two is still in dist/ (Argo CD would prune a vanished instance)
    expect({ config: snapshot(path.join(root, 'config')), dist: snapshot(path.join(root, 'dist')) }).toEqual(before);
  });

  test('GIVEN a queue-plan.yaml that cannot be read (permission denied, injected: tests run as root) THEN it is named, not replaced by the shared plan', async () => {
    const root = await renderedRepo();
    const before = snapshot(path.join(root, 'dist'));
    const open = realFs.openSync;
    const spy = jest.spyOn(realFs, 'openSync').mockImplementation((file, ...rest) => {
      if (String(file).endsWith(path.join('two', 'queue-plan.yaml'))) throw errnoError('EACCES', 'open', String(file));
      return open(file, ...rest);
    });
    try {
      expectCleanError(await inRepo(root, ['synth']), 'config/two/queue-plan.yaml:1:1: permission denied');
    } finally {
      spy.mockRestore();
    }
    expect(snapshot(path.join(root, 'dist'))).toEqual(before);
  });

  test('GIVEN a shared defaults file that is a dangling link THEN every instance fails with its name, instead of rendering without it', async () => {
    const root = await renderedRepo();
    fs.mkdirSync(path.join(root, 'config', 'defaults'));
    fs.symlinkSync('nowhere.yaml', path.join(root, 'config', 'defaults', 'instance.yaml'));
    const result = await inRepo(root, ['synth']);
    expectCleanError(result, 'config/defaults/instance.yaml:1:1: is a symbolic link to nowhere.yaml, which does not exist');
  });

  test('GIVEN an instance folder with a queue-plan.yaml but no instance.yaml THEN the missing file is named', async () => {
    const root = await renderedRepo();
    fs.rmSync(path.join(root, 'config', 'two', 'instance.yaml'));
    expectCleanError(await inRepo(root, ['synth']), 'config/two/instance.yaml:1:1: file not found');
    expect(fs.existsSync(path.join(root, 'dist', 'two', 'SECRETS.md'))).toBe(true);
  });

  test('GIVEN a config/ that is a file THEN that is the error', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'config'), 'not a folder\n');
    expectCleanError(await inRepo(root, ['synth']), 'error: config: is a file, not a folder; expected a folder of instance folders, config/<instance>/instance.yaml\n');
  });

  test('GIVEN --config naming a file or nothing THEN that is the error', async () => {
    const root = await renderedRepo();
    expectCleanError(await inRepo(root, ['synth', '--config', 'config/one/instance.yaml']),
      'error: config/one/instance.yaml: is a file, not a folder; expected an instance folder holding instance.yaml and queue-plan.yaml\n');
    expectCleanError(await inRepo(root, ['synth', '--config', 'config/three']), 'error: config/three: does not exist\n');
  });
});

describe('--out may never damage the configuration, and a bad --out is a clean error', () => {
  const cases: Array<[string, string, (root: string) => void, string]> = [
    ['the config folder', 'config', () => undefined, 'error: --out config: is the configuration folder config; the output must be a folder of its own, such as dist\n'],
    ['an instance folder', 'config/one', () => undefined, 'error: --out config/one: is the instance folder config/one; the output must be a folder of its own, such as dist\n'],
    ['a folder inside config/', 'config/one/out', () => undefined, 'error: --out config/one/out: is inside the instance folder config/one; the output must be a folder of its own, such as dist\n'],
    ['a new folder inside config/', 'config/rendered', () => undefined, 'error: --out config/rendered: is inside the configuration folder config; the output must be a folder of its own, such as dist\n'],
    // A name is a name: `..rendered` is inside config/ like any other (path.relative's `..` prefix is not).
    ['a new folder inside config/ whose name starts with two dots', 'config/..rendered', () => undefined, 'error: --out config/..rendered: is inside the configuration folder config; the output must be a folder of its own, such as dist\n'],
    ['the repository root', '.', () => undefined, 'error: --out .: is the folder the command runs in (the repository); the output must be a folder of its own, such as dist\n'],
    ['a folder above the repository', '..', () => undefined, 'error: --out ..: contains the folder the command runs in (the repository) (synth replaces the folders it renders in the output); the output must be a folder of its own, such as dist\n'],
    ['a link to config/', 'linked', (root) => fs.symlinkSync('config', path.join(root, 'linked')), 'error: --out linked: is the configuration folder config; the output must be a folder of its own, such as dist\n'],
    ['where an instance folder links to', 'elsewhere', (root) => {
      fs.renameSync(path.join(root, 'config', 'two'), path.join(root, 'elsewhere'));
      fs.symlinkSync(path.join('..', 'elsewhere'), path.join(root, 'config', 'two'));
    }, 'error: --out elsewhere: is the instance folder config/two; the output must be a folder of its own, such as dist\n'],
    ['a folder inside where an instance folder links to', 'elsewhere/dist', (root) => {
      fs.renameSync(path.join(root, 'config', 'two'), path.join(root, 'elsewhere'));
      fs.symlinkSync(path.join('..', 'elsewhere'), path.join(root, 'config', 'two'));
    }, 'error: --out elsewhere/dist: is inside the instance folder config/two; the output must be a folder of its own, such as dist\n'],
    ['a file', 'notes.txt', (root) => fs.writeFileSync(path.join(root, 'notes.txt'), 'x\n'), 'error: --out notes.txt: is a file, not a folder; the output must be a folder\n'],
    ['below a file', 'notes.txt/dist', (root) => fs.writeFileSync(path.join(root, 'notes.txt'), 'x\n'), 'error: --out notes.txt/dist: notes.txt is a file, not a folder; the output must be a folder\n'],
    ['a symbolic link loop', 'loop/dist', (root) => fs.symlinkSync('loop', path.join(root, 'loop')), 'error: --out loop/dist: loop is a symbolic link loop (a link that leads back to itself)\n'],
  ];
  test.each(cases)('GIVEN --out that is %s WHEN synth runs THEN exit 1, the rule, and config/ and dist/ unchanged byte for byte', async (_, out, prepare, message) => {
    const root = await renderedRepo();
    prepare(root);
    const before = snapshot(root);
    expectCleanError(await inRepo(root, ['synth', '--out', out]), message);
    expect(snapshot(root)).toEqual(before);
  });

  test('GIVEN --out config with an explicit --config WHEN synth runs THEN instance.yaml is still there', async () => {
    const root = await renderedRepo();
    const result = await inRepo(root, ['synth', '--config', 'config/one', '--out', 'config']);
    expectCleanError(result, '--out config: is the configuration folder config');
    expect(fs.readdirSync(path.join(root, 'config', 'one')).sort()).toEqual(['instance.yaml', 'queue-plan.yaml']);
  });

  test('GIVEN an --out that cannot be written (permission denied, injected) THEN exit 1 naming it, and nothing is deleted', async () => {
    const root = await renderedRepo();
    const before = snapshot(path.join(root, 'dist'));
    const write = realFs.writeFileSync;
    const spy = jest.spyOn(realFs, 'writeFileSync').mockImplementation((file, ...rest) => {
      if (String(file).includes(`${path.sep}dist${path.sep}`)) throw errnoError('EACCES', 'open', String(file));
      return write(file, ...rest);
    });
    let result;
    try {
      result = await inRepo(root, ['synth']);
    } finally {
      spy.mockRestore();
    }
    expectCleanError(result, /^error: dist\/\.mastodon-cdk8s-write\/\S+: permission denied\n$/);
    expect(snapshot(path.join(root, 'dist'))).toEqual(before);
    // AND the next run (writable again) renders, leaving nothing behind
    expect((await inRepo(root, ['synth'])).stdout).toMatch(/\(updated: one, two\)\n$/);
    expect(fs.readdirSync(path.join(root, 'dist')).sort()).toEqual(['one', 'two']);
  });
});

describe('the real CLI', () => {
  test('GIVEN a FIFO as instance.yaml WHEN the installed command runs THEN it ends at once with the error (no hang, no stack)', () => {
    const root = tempDir();
    const dir = exampleVariant({}, 'fifo');
    fs.rmSync(path.join(dir, 'instance.yaml'));
    execFileSync('mkfifo', [path.join(dir, 'instance.yaml')]);
    let stderr = '';
    let status = 0;
    try {
      execFileSync(process.execPath, [path.join(REPO, 'bin', 'mastodon-cdk8s.js'), 'synth', '--config', dir, '--out', path.join(root, 'dist')], { timeout: 30_000, stdio: 'pipe', env: { PATH: process.env.PATH } });
    } catch (e) {
      stderr = String((e as { stderr: Buffer }).stderr);
      status = (e as { status: number }).status;
    }
    expect(status).toBe(1);
    expect(stderr).toMatch(/fifo[\\/]instance\.yaml:1:1: is a FIFO \(named pipe\), not a file; expected a regular YAML file\n$/);
    expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
  });
});
