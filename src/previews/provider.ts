import type { ProviderName } from '../types.js';

export type { ProviderName };

/** One search result of a provider, reduced to what matching and downloading need. */
export interface PreviewCandidate {
  id: string;
  /** The FIRST artist only: the original matched on it, not on "A, B & C". */
  artist: string;
  title: string;
  /** 30-s preview URL; '' or null when the provider has none for this track. */
  previewUrl: string | null;
  link?: string;
  album?: string;
  cover?: string;
}

export interface PreviewSearchArgs {
  artist: string;
  track: string;
  signal?: AbortSignal;
}

/**
 * A preview source (Deezer, iTunes, Spotify). `search` throws TransientError
 * (PROVIDER_QUOTA / PROVIDER_UNAVAILABLE / PROVIDER_TIMEOUT) when the provider fails, and answers
 * `[]` when it simply has nothing: callers must be able to tell an outage from a miss.
 */
export interface PreviewProvider {
  name: ProviderName;
  search(args: PreviewSearchArgs): Promise<PreviewCandidate[]>;
  /** Hosts its preview files are served from (exact names or `*.suffix`, see hosts.ts). */
  downloadHosts: string[];
}
