import { findCredential } from './credentials';

/** Longest value a message repeats whole; longer ones keep their start and their end. */
const MAX_SHOWN = 200;
const HEAD = 120;
const TAIL = 60;
/** How many credentials one value is searched for (each is masked). */
const MAX_CREDENTIALS = 8;

/**
 * A value as error messages quote it: strings in double quotes, anything else as JSON. A
 * credential inside is masked (`"postgres://doadmin:AV… (24 characters)@db…:25060/x"`), since
 * messages land in CI logs; a long value keeps its end, where a wrong port or suffix usually is.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return elide(JSON.stringify(redactDeep(value)) ?? String(value));
}

/** A copy of plain data with every string, and every key, redacted. */
function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v)]));
  return value;
}

/** The value with every credential in it replaced by its masked form. */
export function redact(value: string): string {
  let out = value;
  for (let i = 0, from = 0; i < MAX_CREDENTIALS; i++) {
    const match = findCredential(out.slice(from));
    if (!match) break;
    const start = from + match.index;
    const replacement = `‹${match.masked}›`;
    out = out.slice(0, start) + replacement + out.slice(start + match.length);
    from = start + replacement.length;
  }
  return out;
}

function elide(text: string): string {
  const chars = [...text];
  if (chars.length <= MAX_SHOWN) return text;
  return `${chars.slice(0, HEAD).join('')} … ${chars.slice(-TAIL).join('')} (${chars.length} characters)`;
}

/** The path of a JSON Pointer (RFC 6901), numbers for array indexes. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => {
    const key = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}
