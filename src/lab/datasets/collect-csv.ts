// The rows `dataset collect` reads: an artist,track,genre CSV, each record checked before any
// provider is asked.
import { InputError } from '../../errors.js';

export interface CollectRow {
  /** 1-based line of the CSV where the record starts (what misses.tsv reports). */
  row: number;
  artist: string;
  track: string;
  genre: string;
}

const GENRE = /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,63}$/u;

/**
 * Parses `artist,track,genre` CSV (RFC 4180 quoting: "a, b" and "say ""hi"""; CRLF; header
 * optional). Hand-written: 30 lines, and no CSV package is installed. Genres become folder names,
 * so they are restricted to letters, digits, space, _ and -.
 */
export function parseCollectCsv({ text }: { text: string }): CollectRow[] {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = (): void => {
    fields.push(field);
    if (fields.some((f) => f.trim() !== '')) records.push({ line: start, fields });
    fields = [];
    field = '';
    start = line;
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (ch === '\n') line += 1;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (quoted) {
      field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n') {
      endRecord();
    } else if (ch !== '\r') {
      field += ch;
    }
  }
  if (quoted) throw new InputError('BAD_CSV', `line ${start}: unterminated quoted field`);
  endRecord();
  const first = records[0]?.fields.map((f) => f.trim().toLowerCase()).join(',');
  if (first === 'artist,track,genre') records.shift();
  return records.map(({ line: row, fields: cols }) => {
    const [artist = '', track = '', genre = ''] = cols.map((c) => c.trim());
    if (cols.length !== 3 || !artist || !track) throw new InputError('BAD_CSV', `line ${row}: expected artist,track,genre`);
    if (!GENRE.test(genre)) throw new InputError('BAD_CSV', `line ${row}: genre "${genre}" must be letters, digits, space, _ or - (it names a folder)`);
    return { row, artist, track, genre };
  });
}
