import { normalizeArtist } from './normalize.js';
import type { PreviewCandidate } from './provider.js';

/**
 * The original 2017 rule, made robust by normalisation: the first result whose first artist
 * EQUALS the asked artist and that has a preview; else the first whose first artist CONTAINS the
 * asked artist (as whole words) and has a preview; else null. Pure.
 */
export function matchPreview({
  artist,
  candidates,
}: {
  artist: string;
  candidates: readonly PreviewCandidate[];
}): PreviewCandidate | null {
  const asked = normalizeArtist(artist);
  if (asked === '') return null;
  const playable = candidates.filter((c) => typeof c.previewUrl === 'string' && c.previewUrl.trim() !== '');
  const exact = playable.find((c) => normalizeArtist(c.artist) === asked);
  if (exact) return exact;
  // Padding with spaces makes "containment" whole-word: "Coolio" is in "Coolio and L V" but "Ice"
  // is not in "Vanilla Icecream".
  return playable.find((c) => ` ${normalizeArtist(c.artist)} `.includes(` ${asked} `)) ?? null;
}
