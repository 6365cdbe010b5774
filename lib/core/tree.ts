/** Rendered output: relative path under the output directory → file content. */
export type RenderedTree = Map<string, string>;
