// The one TSV reader/writer of the lab's manifests (dataset manifests, `dataset collect`'s
// manifest and misses): tab-separated columns, one row a line, `#` lines are comments.

/** The columns of a dataset manifest, as its header line names them. */
export const MANIFEST_HEADER = 'path\tgenre\tgroup\tsource';

/** One row as a line: tabs and line breaks inside a value become a space, so a value never splits a row. */
export function tsvLine(cols: readonly string[]): string {
  return `${cols.map((c) => c.replace(/[\t\r\n]+/g, ' ')).join('\t')}\n`;
}

/** The rows of a TSV text with their 1-based line numbers, blank and `#` lines skipped. */
export function tsvRows(text: string): { line: number; cols: string[] }[] {
  const rows: { line: number; cols: string[] }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    rows.push({ line: index + 1, cols: raw.split('\t') });
  });
  return rows;
}
