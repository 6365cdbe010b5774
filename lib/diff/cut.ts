/**
 * A Markdown report cut to at most `maxChars` characters (UTF-16 code units, as GitHub counts a
 * comment's length) on a line boundary, so no character, code fence or `<details>` block is split:
 * a fence or `<details>` open at the cut is closed, and a last line says what was left out and
 * where to read it whole. A report that fits is returned unchanged.
 */
export function cutMarkdown(markdown: string, maxChars: number, whereWhole: string): string {
  if (markdown.length <= maxChars) return markdown;
  const lines = markdown.split('\n');
  const note = (left: number) => `\n**… ${left.toLocaleString('en-US')} more ${left === 1 ? 'line' : 'lines'} not shown here (${maxChars.toLocaleString('en-US')} characters at most): ${whereWhole}**\n`;
  // The longest prefix of whole lines that fits with its closers and the note.
  let kept = lines.length;
  for (;;) {
    kept--;
    const head = lines.slice(0, kept);
    const text = `${[...head, ...closers(head)].join('\n')}\n${note(lines.length - kept)}`;
    if (text.length <= maxChars || kept === 0) return text;
  }
}

/** The lines that close what is open at the end of `lines`: a code fence, `<details>` blocks. */
function closers(lines: readonly string[]): string[] {
  let fence: { indent: string; marks: string } | undefined;
  let details = 0;
  for (const line of lines) {
    const m = /^(\s*)(`{3,}|~{3,})/.exec(line);
    if (m) {
      if (!fence) fence = { indent: m[1], marks: m[2] };
      else if (m[2][0] === fence.marks[0] && m[2].length >= fence.marks.length && line.trim() === m[2]) fence = undefined;
      continue;
    }
    if (fence) continue;
    details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  return [...(fence ? [`${fence.indent}${fence.marks}`] : []), ...Array.from({ length: Math.max(0, details) }, () => '</details>')];
}
