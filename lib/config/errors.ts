// lib/config/types.ts names the problem type here; it lives in lib/core/errors.ts.
export type { ConfigProblem } from '../core/errors';
