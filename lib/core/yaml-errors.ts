import { Document, isCollection, isPair, visit, YAMLError, YAMLParseError } from 'yaml';
import { show } from './show';

/**
 * Plain sentences for the `yaml` library's error codes (yaml 2.x, src/errors.ts), so that a YAML
 * mistake reads like every other config problem: what is wrong and what to write instead, without
 * the parser's vocabulary ("implicit key", "flow collection", "token"). The position stays the
 * library's (file:line:col).
 */
const SENTENCES: Readonly<Record<YAMLError['code'], string>> = {
  ALIAS_PROPS: 'an alias (*name) cannot carry an anchor or a tag',
  BAD_ALIAS: 'an anchor (&name) or alias (*name) needs a name that does not end in ":"; to write a value that starts with * or &, quote it',
  BAD_COLLECTION_TYPE: 'the tag here does not fit the kind of value (a list or a map); remove the tag',
  BAD_DIRECTIVE: 'unknown or malformed % directive; configuration files need none, remove it',
  BAD_DQ_ESCAPE: 'invalid escape in a double-quoted string (a backslash starts \\n, \\t, \\", \\\\ or \\uXXXX); use single quotes for text with backslashes',
  BAD_INDENT: 'wrong indentation: the items of one list or map must start at the same column',
  BAD_PROP_ORDER: 'an anchor (&name) or tag (!tag) is out of place: it goes after "- " or "key: ", before the value',
  BAD_SCALAR_START: 'a value cannot start with this character unquoted (one of @ ` | > %); put the value in quotes',
  BLOCK_AS_IMPLICIT_KEY: 'a list or a map cannot be a key: check the indentation and the ":" of this line',
  BLOCK_IN_FLOW: 'an indented block cannot go inside { } or [ ]: write the nested value inside the brackets too',
  DUPLICATE_KEY: 'appears twice in this map; a key may appear once (keep the one you mean)',
  IMPOSSIBLE: 'this line cannot be read as YAML; check it for stray characters',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters; keys are short names',
  MISSING_CHAR: 'something is missing here: a ":" after a key, a "," between items in { } or [ ], a closing quote or bracket, or a space before a # comment',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: the line above may miss its ":" or a value may be indented wrongly; quote text that holds ": "',
  MULTIPLE_ANCHORS: 'a value can have one anchor (&name) only',
  MULTIPLE_DOCS: 'the file holds more than one YAML document (a "---" line inside); keep one document per file',
  MULTIPLE_TAGS: 'a value can have one tag (!tag) only',
  NON_STRING_KEY: 'a key must be a name, not a list or a map',
  RESOURCE_EXHAUSTION: 'the aliases (*name) expand to too much data; write the values out instead',
  TAB_AS_INDENT: 'a tab is used for indentation; YAML indents with spaces only',
  TAG_RESOLVE_FAILED: 'unknown tag (!name); configuration files use no tags: remove it, or quote the value if "!" belongs to it',
  UNEXPECTED_TOKEN: 'unexpected text here: check the indentation, and quote a value that holds ": " or " #" or starts with [ { * & !',
};

/** `YAML syntax: …` for one parse error; `text` is the file, to name the offending key or quote. */
export function yamlErrorMessage(error: YAMLError, text: string): string {
  const sentence = SENTENCES[error.code] ?? SENTENCES.IMPOSSIBLE;
  if (error.code === 'DUPLICATE_KEY') return `YAML syntax: the key ${show(keyAt(text, error.pos[0]))} ${sentence}`;
  if (error.code === 'MISSING_CHAR' && /^Missing closing ["']/.test(error.message)) return 'YAML syntax: a quoted value is not closed; add the closing quote';
  return `YAML syntax: ${sentence}`;
}

/** The key that starts at `offset`: the rest of its line up to the `: ` (or `:` at the end). */
function keyAt(text: string, offset: number): string {
  const line = text.slice(offset, offset + 1100).split('\n')[0];
  return line.split(/:(?:\s|$)/)[0].trim();
}

/**
 * A list or map used as a key (`? [a, b]: x`, `{a: 1}: x`): the library would turn it into a
 * string and print a Node.js warning in its own words; configuration keys are names.
 */
export function collectionKeyErrors(doc: Document): YAMLError[] {
  const errors: YAMLError[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isCollection(pair.key)) {
        const start = pair.key.range?.[0] ?? 0;
        errors.push(new YAMLParseError([start, start + 1], 'NON_STRING_KEY', 'collection key'));
      }
    },
  });
  return errors;
}
