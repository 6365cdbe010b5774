import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers';

/**
 * The reference data beside the repository (`../shared`: the pinned CRDs and the Kubernetes 1.33
 * schema). This project's CI has it; a user's clone of the repository does not, so the tests that
 * need it are skipped there (`describeWithShared`), and only there.
 */
export const SHARED = path.join(REPO, '..', 'shared');
export const SHARED_CRDS = path.join(SHARED, 'crds');
export const K8S_SCHEMA = path.join(SHARED, 'schemas', 'kubernetes-v1.33.0-definitions.json');

export const HAS_SHARED = fs.existsSync(SHARED_CRDS) && fs.existsSync(K8S_SCHEMA);

/** `describe`, or `describe.skip` when ../shared is not there. */
export const describeWithShared: jest.Describe = HAS_SHARED ? describe : describe.skip;
