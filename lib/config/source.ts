// lib/config/types.ts names the source type here; it lives in lib/core/source.ts.
export type { ConfigSource } from '../core/source';
