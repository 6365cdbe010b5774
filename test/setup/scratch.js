'use strict';
// jest globalSetup/globalTeardown: the tests' scratch folders (os.tmpdir(): tempDir() and the
// programs the tests run) go to one folder per run on a RAM file system (/dev/shm) when the machine
// has one with room to spare. The tests create and delete tens of thousands of small files
// (rendered trees, caches, PostgreSQL data folders), and on a disk file system each costs kernel
// time (on the 2-core development VM, ext4 without a journal mounted with `discard`, a full run's
// kernel time went from 14-26 s to about 10 s). What the tests check does not depend on where
// their scratch folders are. An explicit TMPDIR is kept.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const RAM = '/dev/shm';
const PREFIX = 'mastodon-cdk8s-jest-';
/** Room the tests need at most at once is a few hundred MiB; below this, stay on the disk. */
const MIN_FREE = 2 * 1024 ** 3;

function ramRoot() {
  try {
    const stats = fs.statfsSync(RAM);
    fs.accessSync(RAM, fs.constants.W_OK);
    return stats.bavail * stats.bsize >= MIN_FREE ? RAM : undefined;
  } catch {
    return undefined;
  }
}

/** Folders of earlier runs that were killed before their teardown (their process is gone). */
function removeAbandoned(root) {
  for (const name of fs.readdirSync(root)) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if (e.code === 'ESRCH') fs.rmSync(path.join(root, name), { recursive: true, force: true });
    }
  }
}

/**
 * This run's folder: on the RAM file system when there is one (and then the tests' TMPDIR too,
 * unless TMPDIR is set), else under the OS temp dir. It also holds test/run-cache.ts's entries.
 */
function setup() {
  const root = ramRoot();
  if (root) removeAbandoned(root);
  const dir = fs.mkdtempSync(path.join(root ?? os.tmpdir(), `${PREFIX}${process.pid}-`));
  // Like /tmp: every user may create files there (the PostgreSQL tests run programs as `postgres`).
  fs.chmodSync(dir, 0o1777);
  // Read by the workers jest starts after the global setup, and by every program they run.
  process.env.MASTODON_CDK8S_JEST_RUN = dir;
  if (root && !process.env.TMPDIR) {
    process.env.TMPDIR = dir;
    process.env.MASTODON_CDK8S_JEST_TMPDIR = dir;
  }
}

function teardown() {
  const dir = process.env.MASTODON_CDK8S_JEST_RUN;
  if (!dir) return;
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.MASTODON_CDK8S_JEST_RUN;
  if (process.env.MASTODON_CDK8S_JEST_TMPDIR === dir) {
    delete process.env.TMPDIR;
    delete process.env.MASTODON_CDK8S_JEST_TMPDIR;
  }
}

module.exports = { setup, teardown };
