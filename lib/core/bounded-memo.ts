/**
 * Results remembered by string: names, labels and values repeat across objects and instances, but
 * each instance's own strings (hosts, names) do not, so the memory is emptied when it holds `limit`
 * rather than growing with a thousand instances (issue 17).
 */
export class BoundedMemo<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly limit: number, private readonly compute: (key: string) => T) {}

  public get(key: string): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = this.compute(key);
    if (this.values.size >= this.limit) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}

/** How many strings the memories of the render's hot paths keep. */
export const REMEMBERED_STRINGS = 20_000;
