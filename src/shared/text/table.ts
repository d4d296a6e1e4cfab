/**
 * Plain-text tables as tsh prints them: a header row, a rule of dashes, and
 * columns padded to their widest cell (measured in characters, ignoring
 * terminal colour codes).
 */
const ansi = /\u001b\[[0-9;]*m/g;

/** Lays out rows under headers so `tsh` and `tctl` listings line up the way Teleport's do; the last column is not padded. */
export function formatTable(headers: string[], rows: string[][], opts: { indent?: string } = {}): string {
  const width = (s: string) => [...s.replace(ansi, '')].length;
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    (opts.indent ?? '') + cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - width(c)))).join(' ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
