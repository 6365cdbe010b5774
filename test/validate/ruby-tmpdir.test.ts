import { createdDirectories, rubyTmpdir } from '../../lib/validate/ruby-tmpdir';
import { exampleObjects, report, WEB, withEdit } from './fixtures';

/** The web pod's TMPDIR entry and its init container. */
function tmpdirOf(d: any) {
  return d.spec.template.spec.containers[0].env.find((e: any) => e.name === 'TMPDIR');
}
const TMPDIR_AT = (d: any) => `${WEB}: Deployment/web: spec.template.spec.containers[0].env[${d.spec.template.spec.containers[0].env.indexOf(tmpdirOf(d))}].value`;

describe('validate: a Mastodon Ruby container with a read-only root needs a TMPDIR Ruby accepts (ruby/tmpdir v0.3.1 lib/tmpdir.rb:25-45)', () => {
  test('GIVEN the rendered example THEN every Ruby pod passes', () => {
    expect(report(rubyTmpdir, exampleObjects())).toEqual([]);
  });

  test('GIVEN no TMPDIR THEN it is an error naming the fix', () => {
    const objects = withEdit(WEB, (d) => {
      const c = d.spec.template.spec.containers[0];
      c.env = c.env.filter((e: any) => e.name !== 'TMPDIR');
    });
    expect(report(rubyTmpdir, objects)).toEqual([
      `${WEB}: Deployment/web: spec.template.spec.containers[0].env: runs the Mastodon Ruby image on a read-only root without a literal absolute TMPDIR: Ruby's Dir.tmpdir rejects an emptyDir (mode 0777, no sticky bit) and the read-only working directory, so every Tempfile (uploads, media, large request bodies) fails; allowed: TMPDIR on a directory that an init container creates with mode 0700 on an emptyDir (e.g. mkdir -p -m 0700 /tmp/ruby)`,
    ]);
  });

  test('GIVEN TMPDIR on the emptyDir itself (the old layout) THEN it is an error', () => {
    let at = '';
    const objects = withEdit(WEB, (d) => { tmpdirOf(d).value = '/tmp'; at = TMPDIR_AT(d); });
    expect(report(rubyTmpdir, objects)).toEqual([
      `${at}: "/tmp" is the emptyDir "tmp" itself, which kubelet creates world-writable without the sticky bit, and Ruby's Dir.tmpdir rejects it; allowed: a subdirectory that an init container creates with mode 0700`,
    ]);
  });

  test('GIVEN TMPDIR on the read-only root THEN it is an error', () => {
    let at = '';
    const objects = withEdit(WEB, (d) => { tmpdirOf(d).value = '/var/tmp'; at = TMPDIR_AT(d); });
    expect(report(rubyTmpdir, objects)).toEqual([
      `${at}: "/var/tmp" is not on a writable volume of this container (the root filesystem is read-only); allowed: a directory on an emptyDir volume mount`,
    ]);
  });

  test.each([
    ['made world-writable', (spec: any) => { spec.initContainers[0].command = ['mkdir', '-p', '-m', '0777', '/tmp/ruby']; }],
    ['made world-writable and sticky on another path', (spec: any) => { spec.initContainers[0].command = ['mkdir', '-p', '-m', '1777', '/tmp/other']; }],
    ['made without a mode', (spec: any) => { spec.initContainers[0].command = ['mkdir', '-p', '/tmp/ruby']; }],
    ['made by root', (spec: any) => { spec.initContainers[0].securityContext.runAsUser = 0; }],
    ['not made at all', (spec: any) => { delete spec.initContainers; }],
    ['made on another volume', (spec: any) => { spec.initContainers[0].volumeMounts = [{ name: 'other', mountPath: '/tmp' }]; }],
  ])('GIVEN the TMPDIR subdirectory %s THEN it is an error', (_case, edit) => {
    // Every container of the pod that uses the directory: Puma and its metrics sidecar (env[0]).
    let at = '';
    const objects = withEdit(WEB, (d) => { edit(d.spec.template.spec); at = TMPDIR_AT(d); });
    const sidecarAt = `${WEB}: Deployment/web: spec.template.spec.containers[1].env[0].value`;
    expect(report(rubyTmpdir, objects)).toEqual([at, sidecarAt].map((where) =>
      `${where}: "/tmp/ruby" is not created by an init container that mounts volume "tmp", runs as the same user and gives it a mode Ruby accepts (not world-writable, or sticky); allowed: an init container running e.g. mkdir -p -m 0700 /tmp/ruby`));
  });

  test('GIVEN a writable root THEN the rule does not apply (the policy check reports the root instead)', () => {
    const objects = withEdit(WEB, (d) => {
      const c = d.spec.template.spec.containers[0];
      c.securityContext.readOnlyRootFilesystem = false;
      c.env = c.env.filter((e: any) => e.name !== 'TMPDIR');
    });
    expect(report(rubyTmpdir, objects)).toEqual([]);
  });
});

describe('the directories an init command creates', () => {
  test.each([
    [['mkdir', '-p', '-m', '0700', '/tmp/ruby'], [{ path: '/tmp/ruby', mode: 0o700 }]],
    [['/bin/sh', '-c', 'mkdir -p --mode=1777 /tmp/a && install -d -m 0700 /tmp/b/'], [{ path: '/tmp/a', mode: 0o1777 }, { path: '/tmp/b', mode: 0o700 }]],
    [['mkdir', '/tmp/c'], [{ path: '/tmp/c', mode: undefined }]],
    [['rm', '-rf', '/tmp/d'], []],
  ])('GIVEN %j THEN %j', (command, dirs) => {
    expect(createdDirectories(command)).toEqual(dirs);
  });
});
