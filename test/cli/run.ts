import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../lib/cli/main';

/** Runs the CLI, capturing what it prints. */
export async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => { err.push(String(s)); return true; });
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

export function listTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((f) => {
    const full = path.join(d, f.name);
    if (f.isDirectory()) walk(full); else files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
  });
  walk(dir);
  return files;
}
