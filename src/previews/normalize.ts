// Normalisation for comparing an asked artist with a provider's artist. Hand-written because the
// rules are specific to artist names ("feat." tails, "&" vs "and", "AC/DC" vs "ACDC") and no
// library does exactly this.

// Needs a space or bracket before it, so an artist whose name STARTS with "Ft" is left alone.
const FEATURING = /(?:\s+|\s*[([]\s*)(?:feat|ft|featuring)(?:\.\s*|\s+).*$/iu;

/**
 * Lower-case, accents stripped (NFKD, combining marks removed), a "feat./ft./featuring …" tail
 * removed, "&" and "+" read as "and", punctuation dropped (so "AC/DC" = "acdc",
 * "Guns N' Roses" = "guns n roses"), whitespace collapsed. Returns '' for names of punctuation only.
 */
export function normalizeArtist(name: string): string {
  const withoutFeat = name.normalize('NFKC').replace(FEATURING, '');
  return normalizeText(withoutFeat);
}

/** The same rules without the "feat." cut, for track titles. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[&+]/g, ' and ')
    // Apostrophes and slashes join the letters they separate ("N'", "AC/DC"); other punctuation splits.
    .replace(/['’`´/.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}
